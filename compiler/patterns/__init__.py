"""AWS's pattern engine (SNS filter policies, EventBridge and Lambda patterns): it ships to Lambda, so it imports nothing else of evtc."""
