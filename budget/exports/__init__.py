"""Budget workbooks: the application budget (application.py) and the economy overview (economy.py)."""
