"""资金保障 (东政发〔2022〕3号 §6.8): disbursements for an incident, approved by the 区政府, completed by the 区财政局
within 1 working day (§6.8.3)."""
