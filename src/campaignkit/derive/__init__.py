"""What follows from an issue's records: calendar arithmetic, deadline clocks, routing and
the walks through issue histories. Everything here is handed its calendar and policy.
"""
