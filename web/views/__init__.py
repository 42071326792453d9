"""View models and helpers of the back-office pages: French formatting, forms, exports."""
