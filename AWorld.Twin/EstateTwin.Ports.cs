using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

public sealed partial class EstateTwin
{
    /// <summary>How the twin's CloudWatch delivers: as CloudWatch does, or every series every second in the fast demo cadence.</summary>
    public MetricTiming Timing => _options.MetricCadence == MetricCadence.CloudWatch ? MetricTiming.CloudWatch : MetricTiming.Immediate;

    Task<GetMetricDataResponse> ITelemetrySource.GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Estate.TryGetRegion(request.Region, out var region) && _down[region.Index])
            {
                throw new EstateServiceException("CloudWatch", request.Region, "ServiceUnavailable", "The CloudWatch endpoint does not answer.");
            }

            return Task.FromResult(_metrics.GetMetricData(request));
        }
    }

    Task<IReadOnlyList<HealthCheckObservation>> IHealthSource.GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_route53.Observations(healthCheckId));
        }
    }

    Task<IReadOnlyList<TrafficRecord>> ITrafficRouter.ListRecordsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_dns.Records());
        }
    }

    Task<ChangeInfo> ITrafficRouter.ChangeWeightsAsync(IReadOnlyList<WeightChange> changes, string comment, CancellationToken cancellationToken)
    {
        ChangeInfo change;
        lock (_gate)
        {
            change = _dns.Submit(changes, comment, StartTime.AddSeconds(_second), _options.DnsChangePropagation);
        }

        return Task.FromResult(Changed(change));
    }

    Task<ChangeInfo> ITrafficRouter.GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_dns.GetChange(changeId));
        }
    }

    Task<TableDescription> IGlobalTableAdmin.DescribeTableAsync(string tableName, string region, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_tables.Describe(tableName, region, StartTime.AddSeconds(_second), IsDown(region)));
        }
    }

    Task<ContinuousBackupsDescription> IGlobalTableAdmin.DescribeContinuousBackupsAsync(string tableName, string region, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_tables.DescribeBackups(tableName, region, StartTime.AddSeconds(_second), IsDown(region)));
        }
    }

    Task<TableDescription> IGlobalTableAdmin.RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken)
    {
        TableDescription table;
        lock (_gate)
        {
            table = _tables.Restore(request, StartTime.AddSeconds(_second), IsDown(request.Region), ContentAt);
        }

        return Task.FromResult(Changed(table));
    }

    Task<double> ITrafficObserver.SentShareAsync(string region, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_dns.Share[Estate.Region(region).Index]);
        }
    }

    Task<IReadOnlyList<ClientRate>> IClientThrottler.TopClientsAsync(string region, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(region, "APIGateway");
            return Task.FromResult(_models[Estate.Region(region).Index].TopClients(count, _faults));
        }
    }

    Task IClientThrottler.SetClientLimitAsync(string region, string client, double? requestsPerSecond, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(region, "APIGateway");
            var limits = _models[Estate.Region(region).Index].ClientLimits;
            if (requestsPerSecond is { } limit)
            {
                limits[client] = limit;
            }
            else
            {
                limits.Remove(client);
            }
        }

        return Changed(Task.CompletedTask);
    }

    Task<double> IRegionScaler.GetScaleAsync(string region, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_models[Estate.Region(region).Index].Scale);
        }
    }

    Task IRegionScaler.SetScaleAsync(string region, double scale, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(region, "Lambda");
            _models[Estate.Region(region).Index].Scale = scale;
        }

        return Changed(Task.CompletedTask);
    }

    Task<string> ITableRouting.GetActiveTableAsync(string table, string region, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_activeTables.TryGetValue((table, region), out var physical) ? physical : table);
        }
    }

    Task ITableRouting.SetActiveTableAsync(string table, string region, string physicalTable, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _tables.Describe(physicalTable, region, StartTime.AddSeconds(_second), IsDown(region));
            _activeTables[(table, region)] = physicalTable;
        }

        return Changed(Task.CompletedTask);
    }

    Task<ActiveFault> IFaultInjector.InjectAsync(FaultSpec spec, string? injectedBy, CancellationToken cancellationToken) =>
        Task.FromResult(Inject(spec, injectedBy));

    Task<bool> IFaultInjector.ClearAsync(string faultId, CancellationToken cancellationToken)
    {
        bool cleared;
        lock (_gate)
        {
            cleared = _faults.Clear(faultId, StartTime.AddSeconds(_second));
        }

        return Task.FromResult(cleared ? Changed(cleared) : cleared);
    }

    Task<IReadOnlyList<ActiveFault>> IFaultInjector.ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_faults.Pending(StartTime.AddSeconds(_second)));
        }
    }

    Task<IReadOnlyList<ActiveFault>> IFaultInjector.HistoryAsync(CancellationToken cancellationToken) => Task.FromResult(FaultHistory());

    /// <summary>Schedules a fault <see cref="FaultSpec.Delay"/> after the twin's present.</summary>
    /// <exception cref="ArgumentException">The spec does not fit the estate; the message says why.</exception>
    public ActiveFault Inject(FaultSpec spec, string? injectedBy = null)
    {
        var problem = spec.Validate(Estate);
        if (problem is not null)
        {
            throw new ArgumentException($"Cannot inject {spec.Kind.ToString().ToLowerInvariant()}: {problem}.", nameof(spec));
        }

        ActiveFault fault;
        lock (_gate)
        {
            fault = _faults.Add(spec, StartTime.AddSeconds(_second), injectedBy);
        }

        return Changed(fault);
    }

    /// <summary>Every fault injected so far, with its actual end.</summary>
    public IReadOnlyList<ActiveFault> FaultHistory()
    {
        lock (_gate)
        {
            return [.. _faults.All];
        }
    }

    private (long Items, long Corrupt) ContentAt(string table, DateTimeOffset pointInTime)
    {
        var t = TableIndex(table);
        return t < 0 ? (0, 0) : _replication.AcknowledgedUpTo(t, (long)Math.Floor((pointInTime - StartTime).TotalSeconds));
    }

    private void ThrowIfDown(string region, string service)
    {
        if (IsDown(region))
        {
            throw new EstateServiceException(service, region, "ServiceUnavailable", "The service is unavailable in this region.");
        }
    }

    private bool IsDown(string region) => Estate.TryGetRegion(region, out var r) && _down[r.Index];
}
