"""notify domain of governance: the deadlines it mails through the registry."""
