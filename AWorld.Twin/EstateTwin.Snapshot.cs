using AWorld.Core.Estate;

namespace AWorld.Twin;

public sealed partial class EstateTwin
{
    /// <summary>
    /// Called after a call that changes the estate (a Route 53 change, a fault injected or cleared, a PITR restore, a
    /// scale, a client limit, a table switch) has taken effect and before that call returns, outside the twin's lock.
    /// The live console writes the state file here, so that what a caller was told happened survives a crash, as an
    /// acknowledged AWS call does. Must not throw. Null (nothing) by default.
    /// </summary>
    public Action? StateChanged { get; set; }

    /// <summary>
    /// The twin's whole state at its present: components, random streams and virtual clock. Not the metric history
    /// (<see cref="MetricRecorder"/>): after a restore CloudWatch starts empty and fills again as the twin steps.
    /// </summary>
    public TwinSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new TwinSnapshot
            {
                Fingerprint = TwinSnapshot.FingerprintOf(Estate, _options),
                Seed = Seed,
                StartTime = StartTime,
                Second = _second,
                Core = new EstateCoreState(
                    _requestsSent,
                    _requestsFailed,
                    _lastSecondSuccess,
                    [.. _down],
                    [.. _deployedBad],
                    [.. _writes],
                    [.. _latencyP50],
                    [.. _canariesAtFailure.Select(failures => failures.Select(f => f.ToArray()).ToArray())],
                    [.. _activeTables.Select(kv => new ActiveTableState(kv.Key.Table, kv.Key.Region, kv.Value))],
                    [.. _corruptAfterCutover.Select(kv => new CorruptAfterCutoverState(kv.Key.Table, kv.Key.Region, kv.Value))]),
                Load = _load.Snapshot(),
                Dns = _dns.Snapshot(),
                Route53 = _route53.Snapshot(),
                Faults = _faults.Snapshot(),
                Replication = _replication.Snapshot(),
                Tables = _tables.Snapshot(),
                Regions = [.. _models.Select(m => m.Snapshot())],
            };
        }
    }

    /// <summary>
    /// A twin that goes on exactly where <paramref name="snapshot"/> stopped: stepping it gives what stepping the
    /// original would have. <paramref name="skip"/> (whole seconds) jumps the clock forward without simulating: every
    /// time in the state moves with it, as if the twin had started that much later.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot was made for another estate or seed (<see cref="TwinSnapshot.MismatchWith"/>).</exception>
    /// <exception cref="InvalidDataException">The snapshot's contents do not fit together; the message names the part.</exception>
    public static EstateTwin Restore(EstateTopology estate, SimulationOptions options, TwinSnapshot snapshot, TimeSpan skip = default)
    {
        if (snapshot.MismatchWith(estate, options) is { } problem)
        {
            throw new ArgumentException($"The twin state cannot be restored: {problem}.", nameof(snapshot));
        }

        if (snapshot.Second < 0)
        {
            throw new InvalidDataException("its clock is before its start");
        }

        var shift = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(skip.TotalSeconds)));
        var twin = new EstateTwin(estate, options, snapshot.StartTime + shift, snapshot.Seed);
        lock (twin._gate)
        {
            twin.RestoreCore(snapshot, shift);
        }

        return twin;
    }

    private void RestoreCore(TwinSnapshot snapshot, TimeSpan shift)
    {
        var n = Estate.Regions.Length;
        var core = snapshot.Core ?? throw new InvalidDataException("it has no core state");
        _second = snapshot.Second;
        _requestsSent = core.RequestsSent;
        _requestsFailed = core.RequestsFailed;
        _lastSecondSuccess = core.LastSecondSuccess;
        TwinSnapshot.Expect(core.Down, n, "core.down").CopyTo(_down, 0);
        TwinSnapshot.Expect(core.DeployedBad, n, "core.deployedBad").CopyTo(_deployedBad, 0);
        TwinSnapshot.Expect(core.Writes, n, "core.writes").CopyTo(_writes, 0);
        TwinSnapshot.Expect(core.LatencyP50, n, "core.latencyP50").CopyTo(_latencyP50, 0);
        var failures = TwinSnapshot.Expect(core.CanariesAtFailure, n, "core.canariesAtFailure");
        for (var r = 0; r < n; r++)
        {
            _canariesAtFailure[r].Clear();
            _canariesAtFailure[r].AddRange(failures[r].Select(f => TwinSnapshot.Expect(f, n, $"core.canariesAtFailure[{r}]")));
        }

        _activeTables.Clear();
        foreach (var t in core.ActiveTables)
        {
            _activeTables[(t.Table, t.Region)] = t.Physical;
        }

        _corruptAfterCutover.Clear();
        foreach (var c in core.CorruptAfterCutover)
        {
            _corruptAfterCutover[(c.Table, c.Region)] = c.Items;
        }

        _load.Restore(snapshot.Load);
        _dns.Restore(snapshot.Dns, shift);
        _route53.Restore(snapshot.Route53, shift);
        _faults.Restore(snapshot.Faults, shift);
        _replication.Restore(snapshot.Replication);
        _tables.Restore(snapshot.Tables, shift);
        var regions = TwinSnapshot.Expect(snapshot.Regions, n, "regions");
        for (var r = 0; r < n; r++)
        {
            _models[r].Restore(regions[r]);
        }
    }

    /// <summary>Tells <see cref="StateChanged"/> that a call changed the estate; called after the lock is released.</summary>
    private T Changed<T>(T result)
    {
        StateChanged?.Invoke();
        return result;
    }
}
