"""Python tools of the customer-service analytics warehouse."""
