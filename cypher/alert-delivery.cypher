// What became of the webhook delivery of these alerts (keys): delivered, or the error of the last try.
UNWIND $keys AS key
MATCH (a:Alert {key: key})
SET a.delivered = $delivered, a.deliveryError = $error, a.deliveryAttempts = $attempts, a.deliveredAt = $at
