"""Approval configs, requests, decisions and escalation; plugs guards into documents."""
