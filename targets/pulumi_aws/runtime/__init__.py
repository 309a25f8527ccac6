"""What the pulumi-aws target deploys beside the user's handlers on Lambda: the emit
backend (`aws_runtime`) and the webhook ingress (`aws_webhook`). It imports nothing of the
compiler or of the rest of this target, so a function's bundle holds only these modules,
`evtc.emit`, `evtc.envelope` and the pattern engine."""
