export * from "./quota-pace";
