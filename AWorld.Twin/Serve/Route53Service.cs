using System.Globalization;
using System.Xml.Linq;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>
/// Route 53 over REST-XML, from the twin's health checkers (<see cref="IHealthSource"/>) and DNS
/// (<see cref="ITrafficRouter"/>): one hosted zone holding the API's record set (a record per region, with set
/// identifier, weight or failover role, TTL, value and health check) beside the zone's NS and SOA, one health check per
/// region. Changes are UPSERTs of the estate's records that change weights only; they go to the twin's DNS and are
/// PENDING until the twin's name servers have them (INSYNC), as Route 53's are.
/// </summary>
internal sealed class Route53Service(EstateTopology estate, IHealthSource health, ITrafficRouter router, TwinIdentifiers ids) : IServedService
{
    public const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    private const string Prefix = "/2013-04-01/";
    private static readonly XNamespace X = Namespace;
    private static readonly WireDialect Dialect = new(WireProtocol.RestXml, XmlNamespace: Namespace);

    public string SigningName => "route53";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var s = call.Segments(Prefix) ?? throw call.UnknownOperation();
        var ct = call.Http.RequestAborted;
        XElement answer = (call.Method, s) switch
        {
            ("GET", ["healthcheck"]) => ListHealthChecks(call),
            ("GET", ["healthcheck", var id]) => new XElement(X + "GetHealthCheckResponse", HealthCheck(Check(id))),
            ("GET", ["healthcheck", var id, "status"]) => await HealthCheckStatusAsync(id, ct),
            ("GET", ["hostedzone"]) => ListHostedZones(),
            ("GET", ["hostedzone", var zone]) => new XElement(X + "GetHostedZoneResponse", HostedZone(Zone(zone)),
                new XElement(X + "DelegationSet", new XElement(X + "NameServers", NameServers.Select(n => new XElement(X + "NameServer", n))))),
            ("GET", ["hostedzone", var zone, "rrset"]) => await ListRecordSetsAsync(call, Zone(zone), ct),
            ("POST", ["hostedzone", var zone, "rrset"]) => await ChangeRecordSetsAsync(call, Zone(zone), ct),
            ("GET", ["change", var id]) => ChangeResponse("GetChangeResponse", await GetChangeAsync(id, ct)),
            _ => throw call.UnknownOperation(),
        };
        await call.XmlAsync(answer);
    }

    private static readonly string[] NameServers = ["ns-101.awsdns-12.com", "ns-1302.awsdns-34.org", "ns-1950.awsdns-51.co.uk", "ns-812.awsdns-37.net"];

    private HealthCheckDefinition Check(string servedId) =>
        ids.TwinHealthCheckId(servedId) is { } twinId
            ? estate.HealthChecks.First(h => h.Id == twinId)
            : throw AwsErrorException.NotFound("NoSuchHealthCheck", $"A health check with id {servedId} does not exist.");

    private string Zone(string id)
    {
        var bare = id.StartsWith("/hostedzone/", StringComparison.Ordinal) ? id["/hostedzone/".Length..] : id;
        return bare == ids.HostedZoneId ? bare : throw AwsErrorException.NotFound("NoSuchHostedZone", $"No hosted zone found with ID: {bare}");
    }

    private XElement ListHealthChecks(AwsCall call)
    {
        var all = estate.HealthChecks.OrderBy(h => TwinIdentifiers.HealthCheckId(h.Region), StringComparer.Ordinal).ToList();
        var marker = call.Query("marker");
        var max = int.TryParse(call.Query("maxitems"), CultureInfo.InvariantCulture, out var m) && m > 0 ? Math.Min(m, 1000) : 100;
        var start = marker is null ? 0 : all.FindIndex(h => TwinIdentifiers.HealthCheckId(h.Region) == marker);
        if (start < 0)
        {
            throw AwsErrorException.BadRequest("InvalidInput", $"The marker {marker} is not a health check id.");
        }

        var page = all.Skip(start).Take(max).ToList();
        var truncated = start + page.Count < all.Count;
        return new XElement(X + "ListHealthChecksResponse",
            new XElement(X + "HealthChecks", page.Select(HealthCheck)),
            new XElement(X + "Marker", marker ?? ""),
            new XElement(X + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(X + "NextMarker", TwinIdentifiers.HealthCheckId(all[start + page.Count].Region)) : null,
            new XElement(X + "MaxItems", max.ToString(CultureInfo.InvariantCulture)));
    }

    private static XElement HealthCheck(HealthCheckDefinition check) =>
        new(X + "HealthCheck",
            new XElement(X + "Id", TwinIdentifiers.HealthCheckId(check.Region)),
            new XElement(X + "CallerReference", "aworld-twin-" + check.Region),
            new XElement(X + "HealthCheckConfig",
                new XElement(X + "Port", "443"),
                new XElement(X + "Type", "HTTPS"),
                new XElement(X + "ResourcePath", check.ResourcePath),
                new XElement(X + "FullyQualifiedDomainName", check.Endpoint),
                new XElement(X + "RequestInterval", check.RequestIntervalSeconds.ToString(CultureInfo.InvariantCulture)),
                new XElement(X + "FailureThreshold", check.FailureThreshold.ToString(CultureInfo.InvariantCulture)),
                new XElement(X + "MeasureLatency", "false"),
                new XElement(X + "Inverted", "false"),
                new XElement(X + "Disabled", "false"),
                new XElement(X + "EnableSNI", "true"),
                new XElement(X + "Regions", check.CheckerLocations.Select(l => new XElement(X + "Region", l)))),
            new XElement(X + "HealthCheckVersion", "1"));

    private async Task<XElement> HealthCheckStatusAsync(string servedId, CancellationToken ct)
    {
        var check = Check(servedId);
        var observations = await health.GetHealthCheckStatusAsync(check.Id, ct);
        return new XElement(X + "GetHealthCheckStatusResponse",
            new XElement(X + "HealthCheckObservations", observations.Select(o => new XElement(X + "HealthCheckObservation",
                new XElement(X + "Region", o.CheckerRegion),
                new XElement(X + "IPAddress", o.IpAddress),
                new XElement(X + "StatusReport", new XElement(X + "Status", o.StatusReport), new XElement(X + "CheckedTime", AwsWire.Iso(o.CheckedTime)))))));
    }

    private XElement ListHostedZones() =>
        new(X + "ListHostedZonesResponse",
            new XElement(X + "HostedZones", HostedZone(ids.HostedZoneId)),
            new XElement(X + "Marker", ""),
            new XElement(X + "IsTruncated", "false"),
            new XElement(X + "MaxItems", "100"));

    private XElement HostedZone(string id) =>
        new(X + "HostedZone",
            new XElement(X + "Id", "/hostedzone/" + id),
            new XElement(X + "Name", ids.ZoneName),
            new XElement(X + "CallerReference", "aworld-twin"),
            new XElement(X + "Config", new XElement(X + "Comment", "AWorld estate (aworld twin serve)"), new XElement(X + "PrivateZone", "false")),
            new XElement(X + "ResourceRecordSetCount", (2 + estate.Dns.Records.Length).ToString(CultureInfo.InvariantCulture)));

    private async Task<XElement> ListRecordSetsAsync(AwsCall call, string zone, CancellationToken ct)
    {
        var records = await RecordSetsAsync(ct);
        var startName = call.Query("name") is { } n ? TwinIdentifiers.Fqdn(n).ToLowerInvariant() : null;
        var startType = call.Query("type");
        var startId = call.Query("identifier");
        var max = int.TryParse(call.Query("maxitems"), CultureInfo.InvariantCulture, out var m) && m > 0 ? Math.Min(m, 300) : 300;
        var start = startName is null ? 0 : records.FindIndex(r => Compare(r.Key, (startName, startType ?? "", startId ?? "")) >= 0);
        if (start < 0)
        {
            start = records.Count;
        }

        var page = records.Skip(start).Take(max).ToList();
        var next = start + page.Count < records.Count ? records[start + page.Count] : null;
        return new XElement(X + "ListResourceRecordSetsResponse",
            new XElement(X + "ResourceRecordSets", page.Select(r => r.Xml)),
            new XElement(X + "IsTruncated", next is null ? "false" : "true"),
            next is null ? null : new XElement(X + "NextRecordName", next.Key.Name),
            next is null ? null : new XElement(X + "NextRecordType", next.Key.Type),
            next?.Key.Identifier is { Length: > 0 } nextId ? new XElement(X + "NextRecordIdentifier", nextId) : null,
            new XElement(X + "MaxItems", max.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Every record set of the zone in Route 53's order: by name (labels right to left), type, set identifier.</summary>
    private async Task<List<RecordSet>> RecordSetsAsync(CancellationToken ct)
    {
        var list = new List<RecordSet>
        {
            new((ids.ZoneName, "NS", ""), RecordSetXml(ids.ZoneName, "NS", null, 172800, [.. NameServers.Select(n => n + ".")])),
            new((ids.ZoneName, "SOA", ""), RecordSetXml(ids.ZoneName, "SOA", null, 900, [$"{NameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"])),
        };
        foreach (var record in await router.ListRecordsAsync(ct))
        {
            var set = TwinIdentifiers.SetIdentifier(record.Region);
            var routing = record.FailoverRole is { } role
                ? new XElement(X + "Failover", role == FailoverRole.Primary ? "PRIMARY" : "SECONDARY")
                : new XElement(X + "Weight", record.Weight.ToString(CultureInfo.InvariantCulture));
            list.Add(new((ids.RecordName, "CNAME", set), RecordSetXml(ids.RecordName, "CNAME", (set, routing), record.TtlSeconds,
                [estate.Region(record.Region).Endpoint], TwinIdentifiers.HealthCheckId(record.Region))));
        }

        list.Sort((a, b) => Compare(a.Key, b.Key));
        return list;
    }

    private static XElement RecordSetXml(string name, string type, (string Set, XElement Routing)? weighted, int ttl, string[] values, string? healthCheckId = null) =>
        new(X + "ResourceRecordSet",
            new XElement(X + "Name", name),
            new XElement(X + "Type", type),
            weighted is { } w ? new XElement(X + "SetIdentifier", w.Set) : null,
            weighted?.Routing,
            new XElement(X + "TTL", ttl.ToString(CultureInfo.InvariantCulture)),
            new XElement(X + "ResourceRecords", values.Select(v => new XElement(X + "ResourceRecord", new XElement(X + "Value", v)))),
            healthCheckId is null ? null : new XElement(X + "HealthCheckId", healthCheckId));

    private static int Compare((string Name, string Type, string Identifier) a, (string Name, string Type, string Identifier) b)
    {
        var byName = string.CompareOrdinal(Reversed(a.Name), Reversed(b.Name));
        if (byName != 0)
        {
            return byName;
        }

        var byType = string.CompareOrdinal(a.Type, b.Type);
        return byType != 0 || b.Type.Length == 0 ? byType : string.CompareOrdinal(a.Identifier, b.Identifier);

        static string Reversed(string name) => string.Join('.', name.TrimEnd('.').ToLowerInvariant().Split('.').Reverse());
    }

    private async Task<XElement> ChangeRecordSetsAsync(AwsCall call, string zone, CancellationToken ct)
    {
        var body = AwsWire.ParseXml(call.Body);
        var ns = body.Name.Namespace;
        var batch = body.Element(ns + "ChangeBatch") ?? throw Invalid("the request has no ChangeBatch");
        var comment = batch.Element(ns + "Comment")?.Value ?? "";
        var changes = batch.Element(ns + "Changes")?.Elements(ns + "Change").ToList() ?? [];
        if (changes.Count == 0)
        {
            throw Invalid("the change batch has no changes");
        }

        var current = (await router.ListRecordsAsync(ct)).ToDictionary(r => TwinIdentifiers.SetIdentifier(r.Region), StringComparer.Ordinal);
        var weights = new List<WeightChange>();
        foreach (var change in changes)
        {
            var action = change.Element(ns + "Action")?.Value;
            var set = change.Element(ns + "ResourceRecordSet") ?? throw Invalid("a change has no ResourceRecordSet");
            var name = set.Element(ns + "Name")?.Value ?? "";
            var type = set.Element(ns + "Type")?.Value;
            var id = set.Element(ns + "SetIdentifier")?.Value ?? "";
            var label = $"[{action} {name} {type} {id}]";
            if (action != "UPSERT")
            {
                throw Invalid($"{label}: the served twin accepts UPSERT of the estate's records only");
            }

            if (!string.Equals(TwinIdentifiers.Fqdn(name), ids.RecordName, StringComparison.OrdinalIgnoreCase) || type != "CNAME" || !current.TryGetValue(id, out var record))
            {
                throw Invalid($"{label}: the zone's served records are {ids.RecordName} CNAME with set identifiers {string.Join(", ", current.Keys)}");
            }

            var ttl = set.Element(ns + "TTL")?.Value;
            var values = set.Element(ns + "ResourceRecords")?.Elements(ns + "ResourceRecord").Select(r => r.Element(ns + "Value")?.Value).ToList() ?? [];
            var healthCheck = set.Element(ns + "HealthCheckId")?.Value;
            var endpoint = estate.Region(record.Region).Endpoint;
            if (ttl != record.TtlSeconds.ToString(CultureInfo.InvariantCulture) || values is not [var value] || !string.Equals(value?.TrimEnd('.'), endpoint, StringComparison.OrdinalIgnoreCase)
                || (healthCheck is not null && healthCheck != TwinIdentifiers.HealthCheckId(record.Region)) || set.Element(ns + "Failover") is not null)
            {
                throw Invalid($"{label}: the served twin changes weights only; keep TTL {record.TtlSeconds}, the value {endpoint} and health check {TwinIdentifiers.HealthCheckId(record.Region)}");
            }

            if (!long.TryParse(set.Element(ns + "Weight")?.Value, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > 255)
            {
                throw Invalid($"{label}: Weight must be a number from 0 to 255");
            }

            weights.Add(new WeightChange(record.Region, (int)weight));
        }

        try
        {
            return ChangeResponse("ChangeResourceRecordSetsResponse", await router.ChangeWeightsAsync(weights, comment, ct));
        }
        catch (EstateServiceException e)
        {
            throw AwsErrorException.From(e);
        }

        static AwsErrorException Invalid(string why) => AwsErrorException.BadRequest("InvalidChangeBatch", why);
    }

    private async Task<ChangeInfo> GetChangeAsync(string id, CancellationToken ct)
    {
        var bare = id.StartsWith("/change/", StringComparison.Ordinal) ? id["/change/".Length..] : id;
        try
        {
            return await router.GetChangeAsync(bare, ct);
        }
        catch (EstateServiceException e)
        {
            throw AwsErrorException.From(e, code => code == "NoSuchChange" ? 404 : null);
        }
    }

    private static XElement ChangeResponse(string element, ChangeInfo info) =>
        new(X + element, new XElement(X + "ChangeInfo",
            new XElement(X + "Id", "/change/" + info.Id),
            new XElement(X + "Status", info.Status == ChangeStatus.InSync ? "INSYNC" : "PENDING"),
            new XElement(X + "SubmittedAt", AwsWire.Iso(info.SubmittedAt)),
            info.Comment.Length > 0 ? new XElement(X + "Comment", info.Comment) : null));

    private sealed record RecordSet((string Name, string Type, string Identifier) Key, XElement Xml);
}
