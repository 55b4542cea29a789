"""预案管理 (东政发〔2022〕3号 §7): the plan registry from the §8.3 catalogue — filing (§7.1.4), evaluation and
revision (§7.1.5), versions — and drills (§7.2): kinds, the five phases, findings, the yearly compliance page."""
