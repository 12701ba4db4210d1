using System.Globalization;
using AWorld.Console.Accounts;
using AWorld.Console.Anomalies;
using AWorld.Console.ViewModels;
using AWorld.Core;
using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AWorld.Console.Components.Pages;

/// <summary>
/// The anomaly timeline: every remembered event, newest first, filtered by region, service and open state, with
/// acknowledgement. Refreshed with the state stream; acknowledgements are read again only when the events change.
/// </summary>
public sealed partial class Anomalies
{
    private readonly Dictionary<string, string> _notes = new(StringComparer.Ordinal);
    private IReadOnlyList<AnomalyEvent> _events = [];
    private IReadOnlyDictionary<string, AnomalyAck> _acks = new Dictionary<string, AnomalyAck>();
    private string _ackedFor = "";
    private string _region = "";
    private string _service = "";
    private bool _openOnly;
    private bool _mayAcknowledge;

    [Inject]
    public required AnomalyTracker Tracker { get; init; }

    [Inject]
    public required AnomalyAcknowledgements Acknowledgements { get; init; }

    [Inject]
    public required EstateTopology Estate { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    [SupplyParameterFromQuery(Name = "region")]
    public string? RegionQuery { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _region = RegionQuery ?? "";
        _mayAcknowledge = Actors.Of((await AuthenticationState).User).May(Permission.AcknowledgeAnomaly);
        await RefreshAsync();
    }

    protected override void OnSnapshot(EstateSnapshot snapshot) => _ = InvokeAsync(RefreshAsync);

    private static string Value(double v) => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private AnomalyFilter Filter => new(_region, Enum.TryParse<ServiceKind>(_service, out var s) ? s : null, _openOnly);

    private async Task RefreshAsync()
    {
        var events = Filter.Apply(Tracker.All());
        _events = events;
        var key = string.Join('\n', events.Select(e => e.Id));
        if (key != _ackedFor)
        {
            _ackedFor = key;
            _acks = await Acknowledgements.ForAsync([.. events.Select(e => e.Id)]);
            StateHasChanged();
        }
    }

    private Task SetRegion(string value)
    {
        _region = value;
        return RefreshAsync();
    }

    private Task SetService(string value)
    {
        _service = value;
        return RefreshAsync();
    }

    private Task SetOpenOnly(bool value)
    {
        _openOnly = value;
        return RefreshAsync();
    }

    private async Task AcknowledgeAsync(AnomalyEvent e)
    {
        var actor = Actors.Of((await AuthenticationState).User);
        var result = await Acknowledgements.AcknowledgeAsync(e.Id, actor, _notes.GetValueOrDefault(e.Id));
        if (result.Failure is { } failure)
        {
            Snackbar.Add(failure.Message, Severity.Warning);
        }
        else
        {
            Snackbar.Add($"Acknowledged: {e.Label} in {e.Region}.", Severity.Success);
            _notes.Remove(e.Id);
        }

        _ackedFor = "";
        await RefreshAsync();
    }
}
