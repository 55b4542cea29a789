"""12345 接诉即办 (东政办发〔2021〕17号 三（一）5): intake, assignment, response, the three monthly rates."""
