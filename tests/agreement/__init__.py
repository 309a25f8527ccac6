"""The agreement test: the local runtime against the pulumi-aws plan, hop by hop (issue 10)."""
