using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AWorld.E2E.Tests;

/// <summary>What a NOC operator does on a bad day, in a real browser against the real console.</summary>
public sealed partial class LiveConsoleTests : IClassFixture<Browser>, IDisposable
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };
    private readonly Browser _browser;
    private readonly ConsoleServer _server = new();

    public LiveConsoleTests(Browser browser) => _browser = browser;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Operator_SignsIn_WatchesLiveValues_InjectsAnOutage_AndSeesTheRegionTurnUnhealthy()
    {
        await using var context = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", "aworld-demo");
        await page.ClickAsync("button[type=submit]");

        var cards = page.GetByTestId("region-card");
        await Assertions.Expect(cards).ToHaveCountAsync(3, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("operator · Operator");

        // A value changes without a reload: the snapshot caption moves on.
        var caption = page.GetByText(SnapshotCaption());
        await Assertions.Expect(caption).ToBeVisibleAsync(Visible);
        var first = await caption.TextContentAsync();
        await Assertions.Expect(caption).Not.ToHaveTextAsync(first!, new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Screenshot(page, "overview");

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Simulation" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("inject-fault")).ToBeVisibleAsync(Visible);
        await page.GetByTestId("inject-fault").ClickAsync();
        await Assertions.Expect(page.GetByTestId("active-faults")).ToContainTextAsync("outage eu-west-1", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Screenshot(page, "simulation");

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Overview" }).ClickAsync();
        var west = page.Locator("[data-testid=region-card][data-region=eu-west-1] [data-testid=region-health]");
        await Assertions.Expect(west).ToContainTextAsync("Unhealthy", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Screenshot(page, "outage");

        await page.Locator(".mud-navmenu").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "eu-central-1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("live-chart").First.Locator("svg").First).ToBeVisibleAsync(Visible);

        // The latency chart grows as batches are appended: its p50 line gains segments without a reload.
        await Screenshot(page, "region-early");
        await page.WaitForFunctionAsync(
            "() => { const p = document.querySelector('[data-testid=live-chart] path.apexcharts-line'); return p && (p.getAttribute('d').match(/L/g) || []).length > 20; }",
            null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        // The detector's expected band of the first line is drawn with it, as a named range area.
        await Assertions.Expect(page.GetByTestId("live-chart").First).ToContainTextAsync("expected p50", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Screenshot(page, "region");
    }

    [Fact]
    public async Task GuardedFailover_OperatorRequests_ManagerApproves_TrafficLeavesTheRegion()
    {
        await using var operatorContext = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var op = await SignInAsync(operatorContext, "operator");
        var west = op.Locator("[data-testid=region-card][data-region=eu-west-1]");
        await Assertions.Expect(west.GetByTestId("traffic-share")).Not.ToHaveTextAsync("0.0%", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

        await west.GetByTestId("failover-button").ClickAsync();
        await Assertions.Expect(op.Locator(".mud-dialog")).ToBeVisibleAsync(Visible);
        await Screenshot(op, "operation-dialog");
        await Assertions.Expect(op.GetByTestId("plan-steps")).ToContainTextAsync("route53:ChangeResourceRecordSets", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Assertions.Expect(op.GetByTestId("operation-submit")).ToBeDisabledAsync();
        await op.GetByLabel("Reason (required)").FillAsync("game day: drain Ireland");
        await op.GetByLabel("Type eu-west-1 to confirm").FillAsync("eu-west-1");
        await op.GetByTestId("operation-submit").ClickAsync();
        await Assertions.Expect(op.GetByTestId("operation").First).ToHaveAttributeAsync("data-state", "PendingApproval", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Screenshot(op, "operation-requested");

        await using var managerContext = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var manager = await SignInAsync(managerContext, "manager");
        await manager.Locator(".mud-navmenu").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Operations" }).ClickAsync();
        await Assertions.Expect(manager.GetByTestId("approve")).ToBeVisibleAsync(Visible);
        await manager.GetByLabel("Your password").FillAsync("aworld-demo");
        await manager.GetByTestId("approve").ClickAsync();
        await Assertions.Expect(manager.GetByTestId("operation").First).ToHaveAttributeAsync("data-state", "Completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 90_000 });
        await Screenshot(manager, "operation-completed");

        await op.Locator(".mud-navmenu").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Overview" }).ClickAsync();
        await Assertions.Expect(op.Locator("[data-testid=region-card][data-region=eu-west-1] [data-testid=traffic-share]")).ToHaveTextAsync("0.0%", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
    }

    [Fact]
    public async Task WrongPassword_StaysOnTheSignInPage_WithAMessage()
    {
        await using var context = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login");
        await page.FillAsync("#username", "noc");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
    }

    [Fact]
    public async Task Drill_OperatorRunsOneAtFullSpeed_AuditorFindsItsSignedPackOnTheEvidencePage()
    {
        await using var operatorContext = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var op = await SignInAsync(operatorContext, "operator");
        await op.GotoAsync("/drills");
        var outage = op.Locator("[data-testid=scenario][data-scenario=region-outage]");
        await Assertions.Expect(outage).ToBeVisibleAsync(Visible);

        await outage.GetByTestId("run-full-speed").ClickAsync();

        var row = op.Locator("[data-testid=drill]").First;
        await Assertions.Expect(row).ToContainTextAsync("PASSED", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Assertions.Expect(op.GetByTestId("trend")).ToHaveCountAsync(1);
        await Screenshot(op, "drills");
        var drillId = await row.GetAttributeAsync("data-drill");

        await using var auditorContext = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var auditor = await SignInAsync(auditorContext, "auditor");
        await auditor.GotoAsync("/evidence");
        var evidence = auditor.Locator($"[data-testid=evidence-row][data-drill='{drillId}']");
        await Assertions.Expect(evidence).ToContainTextAsync("PASSED", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await auditor.GetByTestId("verify-all").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("chain-result")).ToContainTextAsync("1 packs verified", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });

        var download = await auditor.RunAndWaitForDownloadAsync(() => evidence.GetByTestId("download-pack").ClickAsync());
        var path = await download.PathAsync();
        await using (var pack = File.OpenRead(path))
        {
            Assert.True(AWorld.Core.Evidence.EvidencePackVerifier.Verify(pack).Verified);
        }

        await Screenshot(auditor, "evidence");
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", "aworld-demo");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByTestId("region-card")).ToHaveCountAsync(3, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });

        // The page is prerendered first; it is interactive once live updates arrive over its circuit.
        var caption = page.GetByText(SnapshotCaption());
        await Assertions.Expect(caption).ToBeVisibleAsync(Visible);
        var first = await caption.TextContentAsync();
        await Assertions.Expect(caption).Not.ToHaveTextAsync(first!, new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        return page;
    }

    /// <summary>Screenshots for people to look at, when AWORLD_SCREENSHOTS names a directory.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AWORLD_SCREENSHOTS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }

    [GeneratedRegex("/login")]
    private static partial Regex LoginUrl();

    [GeneratedRegex(@"^Snapshot \d+ at")]
    private static partial Regex SnapshotCaption();
}
