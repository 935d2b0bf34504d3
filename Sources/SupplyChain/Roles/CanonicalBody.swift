import CanonicalJSON

/// A ledger entry body: a JSON value, hashed in its RFC 8785 canonical form.
public typealias CanonicalBody = JSONValue
