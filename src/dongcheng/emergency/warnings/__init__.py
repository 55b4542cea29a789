"""Early warnings (预警, 东政发〔2022〕3号 §3.2): approval by post, publication centre, checklists, dissemination, CAP."""
