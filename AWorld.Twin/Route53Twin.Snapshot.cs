namespace AWorld.Twin;

internal sealed partial class Route53Twin
{
    public Route53State Snapshot() => new(
        _random.Snapshot(),
        [.. Healthy],
        [.. PercentHealthy],
        [.. _checkers.Select(check => check.Select(k => new CheckerState(k.NextProbe, k.Healthy, k.ConsecutiveFailures, k.ConsecutiveSuccesses, k.LastChecked, k.LastSuccess, k.LastReport)).ToArray())]);

    /// <summary>Takes the state of a snapshot; the time of each checker's last probe moves by <paramref name="shift"/>.</summary>
    public void Restore(Route53State state, TimeSpan shift)
    {
        TwinSnapshot.Expect(state.Healthy, Healthy.Length, "route53.healthy").CopyTo(Healthy, 0);
        TwinSnapshot.Expect(state.PercentHealthy, PercentHealthy.Length, "route53.percentHealthy").CopyTo(PercentHealthy, 0);
        var checks = TwinSnapshot.Expect(state.Checkers, _checkers.Length, "route53.checkers");
        for (var c = 0; c < _checkers.Length; c++)
        {
            var checkers = TwinSnapshot.Expect(checks[c], _checkers[c].Length, $"route53.checkers[{c}]");
            for (var j = 0; j < checkers.Length; j++)
            {
                var (k, s) = (_checkers[c][j], checkers[j]);
                k.NextProbe = s.NextProbe;
                k.Healthy = s.Healthy;
                k.ConsecutiveFailures = s.ConsecutiveFailures;
                k.ConsecutiveSuccesses = s.ConsecutiveSuccesses;
                k.LastChecked = s.LastChecked + shift;
                k.LastSuccess = s.LastSuccess;
                k.LastReport = s.LastReport;
            }
        }

        _random.Restore(state.Random);
    }
}
