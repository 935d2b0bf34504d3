/// A trouble ticket's status (`TroubleTicketStatusType`, Sonata Trouble Ticket v4).
public enum TroubleTicketStatus: String, SonataEnum {
    case acknowledged, assessingCancellation, cancelled, closed, inProgress, pending, resolved, reopened
}

/// How urgently the ticket should be resolved (`TroubleTicketPriorityType`).
public enum TroubleTicketPriority: String, SonataEnum {
    case low, medium, high, critical
}

/// The impact of the issue (`TroubleTicketSeverityType`).
public enum TroubleTicketSeverity: String, SonataEnum {
    case minor, moderate, significant, extensive
}

/// What the ticket is for (`TroubleTicketType`).
public enum TroubleTicketType: String, SonataEnum {
    case assistance, information, installation, maintenance
}

/// How the service looks to the buyer (`MEFObservedImpactType`).
public enum ObservedImpact: String, SonataEnum {
    case degraded, intermittent, down
}

/// An entity a ticket is about (`RelatedEntity`): for a fault, the product (the service id, PDL-085).
public struct RelatedEntity: Codable, Sendable, Hashable {
    public let id: String
    public let referredType: String
    public let role: String
    public let href: String?

    public init(id: String, referredType: String, role: String, href: String? = nil) {
        self.id = id
        self.referredType = referredType
        self.role = role
        self.href = href
    }

    enum CodingKeys: String, CodingKey {
        case id, role, href
        case referredType = "@referredType"
    }
}

/// One status a ticket went through (`TroubleTicketStatusChange`).
public struct TroubleTicketStatusChange: Codable, Sendable, Hashable {
    public let changeDate: MEFDateTime
    public let changeReason: String?
    public let status: TroubleTicketStatus

    public init(changeDate: MEFDateTime, changeReason: String?, status: TroubleTicketStatus) {
        self.changeDate = changeDate
        self.changeReason = changeReason
        self.status = status
    }
}
