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

    static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try value.encode(to: TreeEncoder(node: root, codingPath: []))
        return root.value
    }

    struct TreeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.kind {} else { node.kind = .object([:], order: []) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.kind {} else { node.kind = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    /// Encodes a nested value into a fresh node, short-cutting the leaf types the tree represents directly.
    static func node(for value: some Encodable, codingPath: [any CodingKey]) throws -> Node {
        let node = Node()
        switch value {
        case let json as JSONValue: node.kind = .value(json)
        case let string as String: node.kind = .value(.string(string))
        case let bool as Bool: node.kind = .value(.bool(bool))
        case let int as Int: node.kind = .value(.number(Double(int)))
        case let double as Double: node.kind = .value(.number(double))
        default: try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
        }
        return node
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func set(_ key: Key, _ child: Node) {
            guard case .object(var members, var order) = node.kind else { return }
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
        mutating func encode(_ value: Int, forKey key: Key) throws { set(key, leaf(.number(Double(value)))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, leaf(.number(Double(value)))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, leaf(.number(Double(value)))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(key, try JSONValueEncoder.node(for: value, codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Node()
            set(key, child)
            return TreeEncoder(node: child, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        var count: Int {
            if case .array(let elements) = node.kind { return elements.count }
            return 0
        }

        private func append(_ child: Node) {
            guard case .array(var elements) = node.kind else { return }
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
        mutating func encode(_ value: Int) throws { append(leaf(.number(Double(value)))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            append(try JSONValueEncoder.node(for: value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type
        ) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.kind = .value(.number(value)) }
        mutating func encode(_ value: Float) throws { node.kind = .value(.number(Double(value))) }
        mutating func encode(_ value: Int) throws { node.kind = .value(.number(Double(value))) }
        mutating func encode(_ value: Int64) throws { node.kind = .value(.number(Double(value))) }
        mutating func encode(_ value: UInt64) throws { node.kind = .value(.number(Double(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.kind = try JSONValueEncoder.node(for: value, codingPath: codingPath).kind
        }
    }
}
