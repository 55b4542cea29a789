"""Intangible cultural heritage list (区级非物质文化遗产代表性项目名录, 东政发〔2022〕2号; SPEC §2.6)."""
