"""应急保障 (东政发〔2022〕3号 §6): the §6.2.2 registries, stock as a ledger, material dispatch (§6.4.3), team call-up
(§6.1.2) and shelters (§6.7)."""
