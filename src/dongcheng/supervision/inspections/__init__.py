"""双随机抽查 (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): items, inspectors, verifiable draws, published results."""
