import CanonicalJSON

/// The Seller's POQ resource (`ProductOfferingQualification`): the answer, immediate or as it evolves.
public struct ProductOfferingQualification: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let state: POQState
    public let instantSyncQualification: Bool?
    public let provideAlternative: Bool?
    public let requestedPOQCompletionDate: MEFDateTime?
    public let expectedPOQCompletionDate: MEFDateTime?
    public let effectiveQualificationDate: MEFDateTime?
    public let externalId: String?
    public let projectId: String?
    public let relatedContactInformation: [RelatedContactInformation]
    public let stateChange: [POQStateChange]?
    public let productOfferingQualificationItem: [ProductOfferingQualificationItem]

    public init(
        id: String, href: String? = nil, state: POQState, instantSyncQualification: Bool?, provideAlternative: Bool?,
        requestedPOQCompletionDate: MEFDateTime?, expectedPOQCompletionDate: MEFDateTime? = nil,
        effectiveQualificationDate: MEFDateTime? = nil, externalId: String?, projectId: String?,
        relatedContactInformation: [RelatedContactInformation], stateChange: [POQStateChange]? = nil,
        productOfferingQualificationItem: [ProductOfferingQualificationItem]
    ) {
        self.id = id
        self.href = href
        self.state = state
        self.instantSyncQualification = instantSyncQualification
        self.provideAlternative = provideAlternative
        self.requestedPOQCompletionDate = requestedPOQCompletionDate
        self.expectedPOQCompletionDate = expectedPOQCompletionDate
        self.effectiveQualificationDate = effectiveQualificationDate
        self.externalId = externalId
        self.projectId = projectId
        self.relatedContactInformation = relatedContactInformation
        self.stateChange = stateChange
        self.productOfferingQualificationItem = productOfferingQualificationItem
    }
}

/// One item of the Seller's answer (MEF 79.1 Table 15).
public struct ProductOfferingQualificationItem: Codable, Sendable, Hashable {
    public let id: String
    public let action: ProductActionType
    public let product: MEFProductRefOrValue
    public let qualificationItemRelationship: [QualificationItemRelationship]?
    public let relatedContactInformation: [RelatedContactInformation]?
    public let state: POQItemState
    public let stateChange: [POQItemStateChange]?
    public let serviceabilityConfidence: ServiceabilityColor?
    public let serviceabilityConfidenceReason: String?
    public let installationInterval: Duration?
    public let guaranteedUntilDate: MEFDateTime?
    public let alternateProductOfferingProposal: [AlternateProductOfferingProposal]?
    public let terminationError: [TerminationError]?

    public init(
        id: String, action: ProductActionType, product: MEFProductRefOrValue,
        qualificationItemRelationship: [QualificationItemRelationship]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil, state: POQItemState,
        stateChange: [POQItemStateChange]? = nil, serviceabilityConfidence: ServiceabilityColor? = nil,
        serviceabilityConfidenceReason: String? = nil, installationInterval: Duration? = nil,
        guaranteedUntilDate: MEFDateTime? = nil,
        alternateProductOfferingProposal: [AlternateProductOfferingProposal]? = nil,
        terminationError: [TerminationError]? = nil
    ) {
        self.id = id
        self.action = action
        self.product = product
        self.qualificationItemRelationship = qualificationItemRelationship
        self.relatedContactInformation = relatedContactInformation
        self.state = state
        self.stateChange = stateChange
        self.serviceabilityConfidence = serviceabilityConfidence
        self.serviceabilityConfidenceReason = serviceabilityConfidenceReason
        self.installationInterval = installationInterval
        self.guaranteedUntilDate = guaranteedUntilDate
        self.alternateProductOfferingProposal = alternateProductOfferingProposal
        self.terminationError = terminationError
    }
}

/// GREEN / YELLOW / RED: how sure the Seller is that it can deliver (MEF 79.1 POQ Confidence Level).
public enum ServiceabilityColor: String, SonataEnum, Comparable {
    case green, yellow, red

    /// Ordered from least to most confident, so a chain's confidence is the `min` of its parts.
    private var rank: Int {
        switch self {
        case .red: 0
        case .yellow: 1
        case .green: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// An alternative the Seller proposes when the Buyer allows it (MEF 79.1 Table 17, R45–R47).
public struct AlternateProductOfferingProposal: Codable, Sendable, Hashable {
    public let id: String
    public let installationInterval: Duration
    public let alternateProduct: MEFAlternateProduct

    public init(id: String, installationInterval: Duration, alternateProduct: MEFAlternateProduct) {
        self.id = id
        self.installationInterval = installationInterval
        self.alternateProduct = alternateProduct
    }
}

/// The product of an alternate proposal.
public struct MEFAlternateProduct: Codable, Sendable, Hashable {
    public let productOffering: ProductOfferingRef
    public let productSpecification: ProductSpecificationRef?
    public let productConfiguration: JSONValue

    public init(
        productOffering: ProductOfferingRef, productSpecification: ProductSpecificationRef? = nil,
        productConfiguration: JSONValue
    ) {
        self.productOffering = productOffering
        self.productSpecification = productSpecification
        self.productConfiguration = productConfiguration
    }
}

/// Why an item could not be processed.
public struct TerminationError: Codable, Sendable, Hashable {
    public let code: String?
    public let propertyPath: String?
    public let value: String?

    public init(code: String? = nil, propertyPath: String? = nil, value: String? = nil) {
        self.code = code
        self.propertyPath = propertyPath
        self.value = value
    }
}

/// One entry of a POQ's state log.
public struct POQStateChange: Codable, Sendable, Hashable {
    public let state: POQState
    public let changeDate: MEFDateTime
    public let changeReason: String?

    public init(state: POQState, changeDate: MEFDateTime, changeReason: String? = nil) {
        self.state = state
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

/// One entry of a POQ item's state log.
public struct POQItemStateChange: Codable, Sendable, Hashable {
    public let state: POQItemState
    public let changeDate: MEFDateTime
    public let changeReason: String?

    public init(state: POQItemState, changeDate: MEFDateTime, changeReason: String? = nil) {
        self.state = state
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

extension ProductOfferingQualificationFind {
    /// The list row of `poq`; the requested completion date as a full date (`format: date`, UTC).
    public init(_ poq: ProductOfferingQualification) {
        self.init(
            id: poq.id, state: poq.state, externalId: poq.externalId, projectId: poq.projectId,
            requestedPOQCompletionDate: poq.requestedPOQCompletionDate.map {
                String(MEFDateTime($0.date).text.prefix(10))
            })
    }
}
