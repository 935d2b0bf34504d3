import Foundation

/// Encodes an `Encodable` value straight into a `JSONValue` tree, without going through JSON text.
///
/// `JSONValue(encoding:)` uses it: rendering a Sonata answer for a ledger entry is on the simulator's hot path,
/// and a text round trip (JSONEncoder, then parsing) cost more than the rest of the rendering.

final class JSONValueEncoder {
    /// A node under construction: containers are shared references until the tree is finished.
    final class Node {
        enum Kind {
            case value(JSONValue)
            case object([String: Node], order: [String])
            case array([Node])
            case empty
        }

        var kind: Kind = .empty

        var value: JSONValue {
            switch kind {
            case .value(let value): value
            case .object(let members, _): .object(members.mapValues(\.value))
            case .array(let elements): .array(elements.map(\.value))
            case .empty: .object([:])
            }
        }
    }

    /// What an encoding noticed on the way: whether some integer was beyond 2^53, where a tree's numbers (doubles)
    /// no longer hold every integer exactly, or a decimal had more digits than a double keeps.
    final class Context {
        var inexact = false

        func number(_ value: some BinaryInteger) -> JSONValue {
            if value.magnitude > 9_007_199_254_740_992 { inexact = true }
            return .number(Double(value))
        }

        /// A decimal as a double; inexact when the double does not give the decimal back.
        func number(_ value: Decimal) -> JSONValue {
            let double = NSDecimalNumber(decimal: value).doubleValue
            if Decimal(string: JSONValue.ecmaScriptString(double)) != value { inexact = true }
            return .number(double)
        }
    }

    /// A float as `JSONEncoder` writes it: its shortest decimal text (0.1, not 0.10000000149011612).
    static func double(_ value: Float) -> Double {
        Double(value.description) ?? Double(value)
    }

    static func encode(_ value: some Encodable) throws -> JSONValue {
        try encode(value, context: Context())
    }

    /// Encodes `value`; throws `EncodingError.invalidValue` when an integer in it is beyond 2^53 or a decimal does
    /// not fit a double.
    static func encodeExactly(_ value: some Encodable) throws -> JSONValue {
        let context = Context()
        let tree = try encode(value, context: context)
        guard !context.inexact else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "an integer beyond 2^53 has no exact JSON tree"))
        }
        return tree
    }

    private static func encode(_ value: some Encodable, context: Context) throws -> JSONValue {
        let root = try node(for: value, codingPath: [], context: context)
        return root.value
    }

    struct TreeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        let context: Context
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.kind {} else { node.kind = .object([:], order: []) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath, context: context))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.kind {} else { node.kind = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath, context: context)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath, context: context)
        }
    }

    /// Encodes a nested value into a fresh node, short-cutting the leaf types the tree represents directly (every
    /// integer width among them), and writing `Data` as base64 and `URL` as its absolute string, as `JSONEncoder`
    /// does, and `Decimal` as a number.
    ///
    /// The leaf types are told apart by the static type, compared by identity: a value cast tried against each of
    /// them in turn (`value as? String`, …) cost every nested struct nineteen failed dynamic casts, 1.2 % of a busy
    /// node's CPU. An optional arrives here only through `encode(_:)` of a generic value and encodes itself (a
    /// present value, through the single-value container, is the same leaf; an absent one is `null`).
    static func node<T: Encodable>(for value: T, codingPath: [any CodingKey], context: Context) throws -> Node {
        let node = Node()
        if let leaf = leaf(value, context: context) {
            node.kind = .value(leaf)
        } else {
            try value.encode(to: TreeEncoder(node: node, codingPath: codingPath, context: context))
        }
        return node
    }

    /// The tree's own value for a leaf type, or nil for any other type. `T` is the matched type itself, so the value
    /// is reinterpreted as it, not cast.
    private static func leaf<T: Encodable>(_ value: T, context: Context) -> JSONValue? {
        func the<U>(_ type: U.Type) -> U { unsafeBitCast(value, to: U.self) }
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(JSONValue.self): return the(JSONValue.self)
        case ObjectIdentifier(String.self): return .string(the(String.self))
        case ObjectIdentifier(Bool.self): return .bool(the(Bool.self))
        case ObjectIdentifier(Double.self): return .number(the(Double.self))
        case ObjectIdentifier(Int.self): return context.number(the(Int.self))
        case ObjectIdentifier(Int64.self): return context.number(the(Int64.self))
        case ObjectIdentifier(UInt64.self): return context.number(the(UInt64.self))
        case ObjectIdentifier(Int32.self): return context.number(the(Int32.self))
        case ObjectIdentifier(UInt32.self): return context.number(the(UInt32.self))
        case ObjectIdentifier(Int16.self): return context.number(the(Int16.self))
        case ObjectIdentifier(UInt16.self): return context.number(the(UInt16.self))
        case ObjectIdentifier(Int8.self): return context.number(the(Int8.self))
        case ObjectIdentifier(UInt8.self): return context.number(the(UInt8.self))
        case ObjectIdentifier(UInt.self): return context.number(the(UInt.self))
        case ObjectIdentifier(Float.self): return .number(JSONValueEncoder.double(the(Float.self)))
        case ObjectIdentifier(Data.self): return .string(the(Data.self).base64EncodedString())
        case ObjectIdentifier(URL.self): return .string(the(URL.self).absoluteString)
        case ObjectIdentifier(Decimal.self): return context.number(the(Decimal.self))
        default: return nil
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]
        let context: Context

        private func set(_ key: Key, _ child: Node) {
            guard case .object(var members, var order) = node.kind else { return }
            // The node lets go of its storage first, so the members are changed in place: left in `kind`, they
            // were copied whole on every member set (quadratic in an object's members).
            node.kind = .empty
            if members[key.stringValue] == nil { order.append(key.stringValue) }
            members[key.stringValue] = child
            node.kind = .object(members, order: order)
        }

        private func leaf(_ value: JSONValue) -> Node {
            let child = Node()
            child.kind = .value(value)
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { set(key, leaf(.null)) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, leaf(.bool(value))) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(key, leaf(.string(value))) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(key, leaf(.number(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(key, leaf(context.number(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, leaf(context.number(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, leaf(context.number(value))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(key, try JSONValueEncoder.node(for: value, codingPath: codingPath + [key], context: context))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key], context: context).container(
                keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key], context: context).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            TreeEncoder(node: node, codingPath: codingPath, context: context)
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key], context: context)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        let context: Context

        var count: Int {
            if case .array(let elements) = node.kind { return elements.count }
            return 0
        }

        private func append(_ child: Node) {
            guard case .array(var elements) = node.kind else { return }
            node.kind = .empty  // as in `Keyed.set`: appended in place, not copied whole per element
            elements.append(child)
            node.kind = .array(elements)
        }

        private func leaf(_ value: JSONValue) -> Node {
            let child = Node()
            child.kind = .value(value)
            return child
        }

        mutating func encodeNil() throws { append(leaf(.null)) }
        mutating func encode(_ value: Bool) throws { append(leaf(.bool(value))) }
        mutating func encode(_ value: String) throws { append(leaf(.string(value))) }
        mutating func encode(_ value: Double) throws { append(leaf(.number(value))) }
        mutating func encode(_ value: Int) throws { append(leaf(context.number(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            append(try JSONValueEncoder.node(for: value, codingPath: codingPath, context: context))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type
        ) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath, context: context).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath, context: context).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath, context: context)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        let context: Context

        mutating func encodeNil() throws { node.kind = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.kind = .value(.number(value)) }
        mutating func encode(_ value: Float) throws { node.kind = .value(.number(JSONValueEncoder.double(value))) }
        mutating func encode(_ value: Int) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: Int8) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: Int16) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: Int32) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: Int64) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: UInt) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: UInt8) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: UInt16) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: UInt32) throws { node.kind = .value(context.number(value)) }
        mutating func encode(_ value: UInt64) throws { node.kind = .value(context.number(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.kind = try JSONValueEncoder.node(for: value, codingPath: codingPath, context: context).kind
        }
    }
}
