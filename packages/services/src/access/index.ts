export * from "./access-policy";
export * from "./book-scope";
