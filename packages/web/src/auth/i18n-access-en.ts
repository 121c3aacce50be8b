/** English strings of roles and books in the app (merged into en.ts as `access`). */
export const accessEn = {
  readOnlyRole: "Your role can read but not change accounts.",
  notYourBook: "This account is not in your book: only its owner, their manager or an admin can change it.",
  ownersByManagers: "Only managers and admins move accounts between books.",
  forbiddenTitle: "Not allowed",
  forbidden: "You don't have permission to do this. {{reason}}",
  book: {
    label: "Book",
    mine: "My book",
    team: "My teams",
    all: "All accounts",
    onlyMine: "This workspace lets CSMs see only their own accounts.",
  },
};
