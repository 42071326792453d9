"""Notifications to members' contacts by e-mail, sent from a queue, with proof of delivery."""
