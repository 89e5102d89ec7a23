"""The partnership meeting: a dashboard extract sorted against the casebook, the meeting pack
and its decision sheet, the filled sheet recorded all or nothing."""
