"""The submission registry: received files, checked, recorded, followed up."""
