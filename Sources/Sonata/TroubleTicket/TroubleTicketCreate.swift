/// A buyer's new trouble ticket (`TroubleTicket_Create`, Sonata Trouble Ticket v4): every field the schema
/// requires is required here, so a body missing one is refused with the field's path.
public struct TroubleTicketCreate: Codable, Sendable, Hashable {
    public let description: String
    public let observedImpact: ObservedImpact
    public let priority: TroubleTicketPriority
    public let severity: TroubleTicketSeverity
    public let ticketType: TroubleTicketType
    public let relatedContactInformation: [RelatedContactInformation]
    public let relatedEntity: [RelatedEntity]
    public let externalId: String?
    public let issueStartDate: MEFDateTime?

    public init(
        description: String, observedImpact: ObservedImpact, priority: TroubleTicketPriority,
        severity: TroubleTicketSeverity, ticketType: TroubleTicketType,
        relatedContactInformation: [RelatedContactInformation], relatedEntity: [RelatedEntity],
        externalId: String? = nil, issueStartDate: MEFDateTime? = nil
    ) {
        self.description = description
        self.observedImpact = observedImpact
        self.priority = priority
        self.severity = severity
        self.ticketType = ticketType
        self.relatedContactInformation = relatedContactInformation
        self.relatedEntity = relatedEntity
        self.externalId = externalId
        self.issueStartDate = issueStartDate
    }

    /// The contact role a ticket's reporter has.
    public static let reporterRole = "reporterContact"

    /// The service the ticket is about: the first related entity (PDL-085: a ticket carries the service id).
    public var serviceID: String? { relatedEntity.first?.id }

    /// What the schema cannot say: a related entity that names the service, and a reporter to talk to. Each
    /// finding names the field and the rule.
    public var findings: [ValidationFinding] {
        var findings: [ValidationFinding] = []
        if relatedEntity.isEmpty {
            findings.append(
                ValidationFinding(
                    path: "/relatedEntity", rule: "PDL-085", message: "a ticket names the service it is about"))
        }
        for (index, entity) in relatedEntity.enumerated() where entity.id.isEmpty {
            findings.append(
                ValidationFinding(path: "/relatedEntity/\(index)/id", rule: "PDL-085", message: "an empty service id"))
        }
        if !relatedContactInformation.contains(where: { $0.role == Self.reporterRole }) {
            findings.append(
                ValidationFinding(
                    path: "/relatedContactInformation", rule: "SONATA-SCHEMA",
                    message: "a ticket has a contact with role \(Self.reporterRole)"))
        }
        if description.isEmpty {
            findings.append(ValidationFinding(path: "/description", rule: "SONATA-SCHEMA", message: "empty"))
        }
        return findings
    }
}

/// A trouble ticket as the seller answers it (`TroubleTicket`).
public struct TroubleTicket: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let creationDate: MEFDateTime
    public let status: TroubleTicketStatus
    public let sellerPriority: TroubleTicketPriority
    public let sellerSeverity: TroubleTicketSeverity
    public let description: String
    public let observedImpact: ObservedImpact
    public let priority: TroubleTicketPriority
    public let severity: TroubleTicketSeverity
    public let ticketType: TroubleTicketType
    public let relatedContactInformation: [RelatedContactInformation]
    public let relatedEntity: [RelatedEntity]
    public let externalId: String?
    public let resolutionDate: MEFDateTime?
    public let expectedResolutionDate: MEFDateTime?
    public let statusChange: [TroubleTicketStatusChange]

    public init(
        id: String, href: String?, creationDate: MEFDateTime, status: TroubleTicketStatus,
        sellerPriority: TroubleTicketPriority, sellerSeverity: TroubleTicketSeverity, create: TroubleTicketCreate,
        resolutionDate: MEFDateTime?, expectedResolutionDate: MEFDateTime?, statusChange: [TroubleTicketStatusChange]
    ) {
        self.expectedResolutionDate = expectedResolutionDate
        self.id = id
        self.href = href
        self.creationDate = creationDate
        self.status = status
        self.sellerPriority = sellerPriority
        self.sellerSeverity = sellerSeverity
        self.description = create.description
        self.observedImpact = create.observedImpact
        self.priority = create.priority
        self.severity = create.severity
        self.ticketType = create.ticketType
        self.relatedContactInformation = create.relatedContactInformation
        self.relatedEntity = create.relatedEntity
        self.externalId = create.externalId
        self.resolutionDate = resolutionDate
        self.statusChange = statusChange
    }
}

/// A trouble ticket notification the seller posts to the buyer's listener (`TroubleTicketEvent`).
public struct TroubleTicketEvent: Codable, Sendable, Hashable {
    public let eventId: String
    public let eventTime: MEFDateTime
    public let eventType: TroubleTicketEventType
    public let event: TroubleTicketEventPayload

    public init(
        eventId: String, eventTime: MEFDateTime, eventType: TroubleTicketEventType, event: TroubleTicketEventPayload
    ) {
        self.eventId = eventId
        self.eventTime = eventTime
        self.eventType = eventType
        self.event = event
    }
}

/// The kind of a ticket notification (`TroubleTicketEventType`).
public enum TroubleTicketEventType: String, SonataEnum {
    case troubleTicketAttributeValueChangeEvent, troubleTicketInformationRequiredEvent, troubleTicketResolvedEvent
    case troubleTicketStatusChangeEvent
}

/// Which ticket a notification is about.
public struct TroubleTicketEventPayload: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let sellerId: String?
    public let buyerId: String?

    public init(id: String, href: String?, sellerId: String?, buyerId: String?) {
        self.id = id
        self.href = href
        self.sellerId = sellerId
        self.buyerId = buyerId
    }
}

/// One ticket in a list (`TroubleTicket_Find`). The schema requires `resolutionDate` even for a ticket not yet
/// resolved; it is given once the ticket is resolved (a schema defect tolerated, like those in after-delivery.md
/// decision 18).
public struct TroubleTicketFind: Codable, Sendable, Hashable {
    public let id: String
    public let creationDate: MEFDateTime
    public let description: String
    public let expectedResolutionDate: MEFDateTime?
    public let externalId: String?
    public let observedImpact: ObservedImpact
    public let priority: TroubleTicketPriority
    public let relatedEntity: [RelatedEntity]
    public let resolutionDate: MEFDateTime?
    public let sellerPriority: TroubleTicketPriority
    public let sellerSeverity: TroubleTicketSeverity
    public let severity: TroubleTicketSeverity
    public let status: TroubleTicketStatus
    public let ticketType: TroubleTicketType

    public init(_ ticket: TroubleTicket) {
        id = ticket.id
        creationDate = ticket.creationDate
        description = ticket.description
        expectedResolutionDate = ticket.expectedResolutionDate
        externalId = ticket.externalId
        observedImpact = ticket.observedImpact
        priority = ticket.priority
        relatedEntity = ticket.relatedEntity
        resolutionDate = ticket.resolutionDate
        sellerPriority = ticket.sellerPriority
        sellerSeverity = ticket.sellerSeverity
        severity = ticket.severity
        status = ticket.status
        ticketType = ticket.ticketType
    }
}
