using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AWorld.Bench.Live;

/// <summary>
/// N browser pages on the Overview, each a Blazor circuit: the delay from a snapshot's publication to the page's
/// caption showing its sequence (publish → DOM), and the server memory each open circuit costs.
/// </summary>
internal static partial class LivePages
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // Records [sequence, Date.now()] each time the caption "Snapshot N at …" shows a new N.
    private const string ObserverScript = """
        () => {
          if (window.__awSnapshots) return;
          window.__awSnapshots = [];
          const re = /^Snapshot (\d+) at/;
          let caption = null, last = -1;
          const find = () => {
            for (const el of document.querySelectorAll('.mud-typography-caption')) {
              if (re.test(el.textContent.trim())) return el;
            }
            return null;
          };
          const check = () => {
            if (!caption || !caption.isConnected) caption = find();
            if (!caption) return;
            const m = re.exec(caption.textContent.trim());
            if (!m) return;
            const n = Number(m[1]);
            if (n !== last) { last = n; window.__awSnapshots.push([n, Date.now()]); }
          };
          new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
          check();
        }
        """;

    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var pages = args.Int("pages", 50, 1, 500);
        var seconds = args.Int("seconds", 60, 5, 3600);
        var warmup = args.Int("warmup", 10, 0, 600);
        if (!File.Exists(ChromiumPath))
        {
            Console.Error.WriteLine($"{ChromiumPath} is missing: run scripts/setup.sh, which installs Debian's chromium.");
            return 3;
        }

        var total = Stopwatch.StartNew();
        Console.WriteLine($"live-pages: {pages} pages, warm-up {warmup} s, measure {seconds} s; GC server={System.Runtime.GCSettings.IsServerGC} latency={System.Runtime.GCSettings.LatencyMode}; load average {Machine.LoadAverage()}");
        using var console = await BenchConsole.StartAsync();
        Console.WriteLine($"console at {console.BaseAddress}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        var storage = await SignInAsync(browser, console.BaseAddress);
        var closed = await WaitUntilAsync(() => console.Circuits.Open == 0, TimeSpan.FromSeconds(30));
        var before = Memory.Measure();
        var childrenBefore = Machine.DescendantPssMb();
        Console.WriteLine($"warm, 0 pages: circuits open {console.Circuits.Open}{(closed ? "" : " (the sign-in circuit did not close within 30 s)")}, managed heap {Memory.Mb(before.Heap)}, working set {Memory.Mb(before.WorkingSet)}, browser PSS {childrenBefore:0} MB");

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = console.BaseAddress.ToString(),
            StorageState = storage,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var open = new List<IPage>();
        var failures = new List<string>();
        var loads = new List<double>();
        var opening = Stopwatch.StartNew();
        for (var i = 0; i < pages; i++)
        {
            var load = Stopwatch.StartNew();
            try
            {
                var page = await context.NewPageAsync();
                open.Add(page);
                await page.GotoAsync("/", new PageGotoOptions { Timeout = (float)PageTimeout.TotalMilliseconds });
                await page.GetByText(SnapshotCaption()).WaitForAsync(new LocatorWaitForOptions { Timeout = (float)PageTimeout.TotalMilliseconds });
                await page.EvaluateAsync(ObserverScript);
                loads.Add(load.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                failures.Add($"page {i}: {ex.Message.Split('\n')[0]}");
            }
        }

        var loadTimes = new Delays(loads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"opened {loads.Count}/{pages} pages in {opening.Elapsed.TotalSeconds:0.0} s (load to live caption p50 {loadTimes.Percentile(50):0} ms, max {loadTimes.Max:0} ms); circuits open {console.Circuits.Open}, connected {console.Circuits.Connected}"));
        foreach (var failure in failures.Take(5))
        {
            Console.WriteLine($"  failed: {failure}");
        }

        console.Publications.SubscribeLast();
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var after = Memory.Measure();
        var childrenAfter = Machine.DescendantPssMb();
        var circuits = console.Circuits.Open;

        // Let the forced collections' pause pass before measuring delays.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cpuFrom = Machine.ReadCpu();
        var from = WallClock.NowMs();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var to = WallClock.NowMs();
        var cpuTo = Machine.ReadCpu();

        // A snapshot published just before the end still reaches the pages; give it time to land.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var published = console.Publications.Between(from, to);
        var samples = new List<double>();
        var perPage = new List<int>();
        var negative = 0;
        foreach (var page in open)
        {
            string json;
            try
            {
                json = await page.EvaluateAsync<string>("() => JSON.stringify(window.__awSnapshots || [])");
            }
            catch (PlaywrightException ex)
            {
                failures.Add($"collect: {ex.Message.Split('\n')[0]}");
                continue;
            }

            var seen = 0;
            foreach (var pair in JsonSerializer.Deserialize<double[][]>(json) ?? [])
            {
                if (published.TryGetValue((long)pair[0], out var publication))
                {
                    var delay = pair[1] - publication.WallMs;
                    negative += delay < 0 ? 1 : 0;
                    samples.Add(delay);
                    seen++;
                }
            }

            perPage.Add(seen);
        }

        var delays = new Delays(samples);
        var intervals = published.Values.OrderBy(p => p.Sequence).Select(p => p.WallMs).ToArray();
        var meanInterval = intervals.Length > 1 ? (intervals[^1] - intervals[0]) / (intervals.Length - 1) : double.NaN;
        var perCircuit = circuits > 0 ? (after.Heap - before.Heap) / circuits : 0;
        Console.WriteLine();
        Console.WriteLine("=== live-pages result ===");
        Console.WriteLine($"pages open               {loads.Count} of {pages} ({failures.Count} failures); Blazor circuits open {circuits}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window                   {seconds} s; {published.Count} snapshots published (every {meanInterval:0} ms on average)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reached the DOM          {delays.Count:N0} (page, snapshot) pairs = {(published.Count * loads.Count == 0 ? 0 : 100.0 * delays.Count / (published.Count * loads.Count)):0.0}% of published × pages; per page min {(perPage.Count == 0 ? 0 : perPage.Min())}, max {(perPage.Count == 0 ? 0 : perPage.Max())}"));
        Console.WriteLine($"publish → DOM delay      {delays.Summary()}{(negative > 0 ? $" ({negative} negative: clock mismatch)" : "")}");
        Console.WriteLine($"Publish() held up by     {new Delays(console.Publications.PublishSpans(from, to)).Summary()} (time Publish() spent notifying subscribers)");
        Console.WriteLine($"server managed heap      0 pages {Memory.Mb(before.Heap)} → {circuits} circuits {Memory.Mb(after.Heap)}: {Memory.Mb(perCircuit)} ({perCircuit / 1024.0:0} KB) per circuit");
        Console.WriteLine($"process working set      0 pages {Memory.Mb(before.WorkingSet)} → {circuits} circuits {Memory.Mb(after.WorkingSet)} (server + bench + Playwright client)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"browser (child) PSS      {childrenBefore:0} MB → {childrenAfter:0} MB ({Machine.DescendantCount()} processes)"));
        Console.WriteLine($"during the window        {Machine.CpuSummary(cpuFrom, cpuTo)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total run                {total.Elapsed.TotalSeconds:0} s"));
        foreach (var failure in failures.Skip(5).Take(5))
        {
            Console.WriteLine($"  failed: {failure}");
        }

        foreach (var page in open)
        {
            // Leaving the page makes Blazor release its circuit at once, instead of keeping it for reconnection.
            try
            {
                await page.GotoAsync("about:blank", new PageGotoOptions { Timeout = 10_000 });
            }
            catch (PlaywrightException)
            {
                // The circuit then ends when the browser closes; nothing to measure any more.
            }
        }

        return failures.Count == 0 && delays.Count > 0 ? 0 : 1;
    }

    /// <summary>Signs in as the NOC viewer once; the pages reuse the cookie. Leaves no circuit open.</summary>
    private static async Task<string> SignInAsync(IBrowser browser, Uri baseAddress)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#username", "noc");
        await page.FillAsync("#password", BenchConsole.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.GetByText(SnapshotCaption()).WaitForAsync(new LocatorWaitForOptions { Timeout = (float)PageTimeout.TotalMilliseconds });
        var state = await context.StorageStateAsync();
        await page.GotoAsync("about:blank");
        return state;
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    [GeneratedRegex(@"^Snapshot \d+ at")]
    private static partial Regex SnapshotCaption();
}
