"""The central receiver: stores signed aggregate reports from many hubs."""
