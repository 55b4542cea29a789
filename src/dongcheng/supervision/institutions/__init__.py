"""机构与信用 (东政办发〔2021〕17号 四（二）, 三（一）2): the institutions registry, points, blacklist, credit repair."""
