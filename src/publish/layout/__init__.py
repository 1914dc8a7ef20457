"""Layout: the spec (plain data in points), the line breaker, the paginator and the laid-out plan."""
