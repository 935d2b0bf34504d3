import CanonicalJSON

/// The Buyer's Create POQ request (`ProductOfferingQualification_Create`, MEF 79.1 Table 6).
public struct ProductOfferingQualificationCreate: Codable, Sendable, Hashable {
    /// `true` asks for an Immediate Response (MEF 79.1 "Immediate Response Only").
    public let instantSyncQualification: Bool?
    /// MEF 79.1 "Provide Alternate".
    public let provideAlternative: Bool?
    public let requestedPOQCompletionDate: MEFDateTime?
    public let externalId: String?
    public let projectId: String?
    public let relatedContactInformation: [RelatedContactInformation]
    public let productOfferingQualificationItem: [ProductOfferingQualificationItemCreate]

    public init(
        instantSyncQualification: Bool?, provideAlternative: Bool?, requestedPOQCompletionDate: MEFDateTime? = nil,
        externalId: String? = nil, projectId: String? = nil, relatedContactInformation: [RelatedContactInformation],
        productOfferingQualificationItem: [ProductOfferingQualificationItemCreate]
    ) {
        self.instantSyncQualification = instantSyncQualification
        self.provideAlternative = provideAlternative
        self.requestedPOQCompletionDate = requestedPOQCompletionDate
        self.externalId = externalId
        self.projectId = projectId
        self.relatedContactInformation = relatedContactInformation
        self.productOfferingQualificationItem = productOfferingQualificationItem
    }
}

/// One item of a Create POQ request (MEF 79.1 Table 7 / Table 18).
public struct ProductOfferingQualificationItemCreate: Codable, Sendable, Hashable {
    public let id: String
    public let action: ProductActionType
    public let product: MEFProductRefOrValue
    public let qualificationItemRelationship: [QualificationItemRelationship]?
    public let relatedContactInformation: [RelatedContactInformation]?

    public init(
        id: String, action: ProductActionType, product: MEFProductRefOrValue,
        qualificationItemRelationship: [QualificationItemRelationship]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil
    ) {
        self.id = id
        self.action = action
        self.product = product
        self.qualificationItemRelationship = qualificationItemRelationship
        self.relatedContactInformation = relatedContactInformation
    }
}

/// A relationship from one POQ item to another item of the same POQ (MEF 79.1 Table 11).
public struct QualificationItemRelationship: Codable, Sendable, Hashable {
    public let relationshipType: String
    public let id: String

    public init(relationshipType: String, id: String) {
        self.relationshipType = relationshipType
        self.id = id
    }
}
