-- wrk reporter: one line of figures kloe's bench scripts parse (latency in milliseconds).
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d errors=%d rps=%.1f p50=%.2f p95=%.2f p99=%.2f max=%.2f\n",
    summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
