/// What a quote or order item does to a product (`MEFProductActionType`: MEF 80/57.2 INSTALL, CHANGE, DISCONNECT).
public enum ProductAction: String, SonataEnum {
    case add, modify, delete
}
