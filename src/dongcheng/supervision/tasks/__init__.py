"""The plan's tasks with their owners (东政办发〔2021〕17号 三、四、五): lead and co-units, progress by period."""
