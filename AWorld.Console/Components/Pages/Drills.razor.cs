using AWorld.Console.Accounts;
using AWorld.Console.Drills;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AWorld.Console.Components.Pages;

/// <summary>
/// Drills: scenarios to run (live on the console's estate, or at full speed), the live drill's timeline, recurring
/// schedules, overdue warnings, trends and history with sign-off. The live drill comes through the drill host's
/// activity stream (one throttled subscription, like every live view); history, schedules and overdue warnings are read
/// again only when the stream's revision moves. Every action is decided again on the server by the drill commands;
/// the buttons only hide what a role cannot do.
/// </summary>
public sealed partial class Drills
{
    private LiveDrillView? _live;
    private IReadOnlyList<DrillRunRow> _history = [];
    private IReadOnlyList<DrillScheduleView> _schedules = [];
    private IReadOnlyList<DrillOverdue> _overdue = [];
    private string _region = "";
    private string _policy = "automatic";
    private string? _cron = "0 3 * * 1";
    private string _scheduleScenario = "region-outage";
    private string? _error;
    private bool _busy;
    private bool _interactive;
    private bool _mayRun;
    private bool _maySignOff;
    private bool _mayReadEvidence;
    private long _revision = -1;

    [Inject]
    public required DrillCommands Commands { get; init; }

    [Inject]
    public required DrillRepository Repository { get; init; }

    [Inject]
    public required DrillHost Host { get; init; }

    [Inject]
    public required DrillSchedules Schedules { get; init; }

    [Inject]
    public required EstateTopology Estate { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        var actor = Actors.Of(user);
        _mayRun = actor.May(Permission.RunDrill);
        _maySignOff = actor.May(Permission.SignOffDrill);
        _mayReadEvidence = actor.May(Permission.ReadEvidence);
        _region = Estate.Regions[0].Code;
        _live = Host.Live;
        _revision = Host.Activity.Current?.Revision ?? 0;
        await LoadAsync();
        Follow(Host.Activity, OnActivityAsync);
    }

    // Buttons stay disabled in the prerendered page until the circuit is live, so that no click is lost.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private static string Seconds(double? seconds) => seconds is { } s ? Formats.Duration(TimeSpan.FromSeconds(s)) : "—";

    private static string Seconds(TimeSpan? span) => span is { } s ? Formats.Duration(s) : "—";

    private static string Since(DateTimeOffset? at, DateTimeOffset? from) => at is { } a && from is { } f ? Formats.Duration(a - f) : "—";

    // The live drill moves every step; history and schedules change only when a drill starts or ends or is signed off.
    private async Task OnActivityAsync(DrillActivity activity)
    {
        _live = activity.Live;
        if (activity.Revision != _revision)
        {
            _revision = activity.Revision;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        _history = await Repository.HistoryAsync(100);
        _schedules = await Schedules.ListAsync();
        _overdue = await Schedules.OverdueAsync();
    }

    private async Task<AWorld.Core.Actor> ActorAsync() => Actors.Of((await AuthenticationState).User);

    private async Task RunAsync(DrillScenarioDefinition scenario, bool live)
    {
        _busy = true;
        _error = null;
        try
        {
            var result = await Commands.StartAsync(new DrillRequest(scenario.Name, _region, _policy, live ? "live" : "full-speed"), await ActorAsync());
            if (result.Value is { } id)
            {
                Snackbar.Add(live ? $"Drill {id} started; follow its timeline above." : $"Drill {id} ran; see the history.", Severity.Success);
            }
            else
            {
                _error = result.Failure?.Message;
            }

            _live = Host.Live;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task AddScheduleAsync()
    {
        var result = await Schedules.AddAsync(_cron, new DrillRequest(_scheduleScenario, _region, _policy, "full-speed"), await ActorAsync());
        _error = result.Failure?.Message;
        await LoadAsync();
    }

    private async Task RemoveScheduleAsync(int id)
    {
        var result = await Schedules.RemoveAsync(id, await ActorAsync());
        _error = result.Failure?.Message;
        await LoadAsync();
    }

    private async Task SignOffAsync(string drillId)
    {
        var result = await Commands.SignOffAsync(drillId, await ActorAsync());
        if (result.Succeeded)
        {
            Snackbar.Add($"Signed off {drillId}; its evidence pack now carries the sign-off.", Severity.Success);
        }
        else
        {
            _error = result.Failure?.Message;
        }

        await LoadAsync();
    }

}
