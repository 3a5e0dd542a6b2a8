// Implemented in its own issue; see the package README.
export {};
