"""The first-aid network of 东政办发〔2021〕17号 三（二）4 (1 急救中心站, 17 急救工作站) as a tracked programme."""
