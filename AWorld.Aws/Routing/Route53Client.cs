using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using AWorld.Aws.Http;
using AWorld.Core.Estate;

namespace AWorld.Aws.Routing;

/// <summary>
/// Route 53 over its REST-XML protocol (namespace <see cref="Namespace"/>, the global endpoint, signed for us-east-1 by
/// <see cref="AwsHttp"/>), on <see cref="AwsHttp"/>: health checks and their checkers' observations, the records of a
/// hosted zone, change batches and their propagation. Ids Route 53 answers with a prefix (<c>/change/C…</c>,
/// <c>/hostedzone/Z…</c>) are returned without it, and accepted with or without it.
/// </summary>
/// <remarks>
/// Thread-safe and stateless. Route 53 allows 5 requests a second per account, shared with every caller:
/// <see cref="AwsHttp"/> keeps below <see cref="AwsOptions.Route53RequestsPerSecond"/>. Responses are read by local
/// element names, requests written in the namespace, without an XML declaration or a Content-Type (as botocore does).
/// </remarks>
public sealed class Route53Client
{
    public const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>The region Route 53's errors name: its API is global.</summary>
    public const string Region = "global";

    private const string Service = "Route53";
    private const string ApiVersion = "2013-04-01/";
    private static readonly XNamespace Ns = Namespace;

    private readonly AwsHttp _http;

    public Route53Client(AwsHttp http) => _http = http;

    /// <summary><c>GET /2013-04-01/healthcheck/{Id}/status</c>: the last probe of each checker.</summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call (<c>NoSuchHealthCheck</c>, denied, throttled).</exception>
    public async Task<IReadOnlyList<Route53HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var root = await GetAsync("route53:GetHealthCheckStatus", $"healthcheck/{Escape(healthCheckId)}/status", cancellationToken);
        return [.. root.Descendants().Where(e => e.Name.LocalName == "HealthCheckObservation").Select(o =>
        {
            var report = Child(o, "StatusReport");
            return new Route53HealthCheckObservation(
                Text(o, "Region") ?? "", Text(o, "IPAddress") ?? "", Text(report, "Status") ?? "", Timestamp(Text(report, "CheckedTime")));
        })];
    }

    /// <summary><c>GET /2013-04-01/healthcheck/{Id}</c>.</summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call.</exception>
    public async Task<Route53HealthCheck> GetHealthCheckAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var root = await GetAsync("route53:GetHealthCheck", $"healthcheck/{Escape(healthCheckId)}", cancellationToken);
        var check = Child(root, "HealthCheck") ?? throw Invalid("GetHealthCheck", "no HealthCheck");
        var config = Child(check, "HealthCheckConfig");
        return new Route53HealthCheck(
            Text(check, "Id") ?? "",
            Text(check, "CallerReference") ?? "",
            Long(Text(check, "HealthCheckVersion")) ?? 1,
            new Route53HealthCheckConfig(Text(config, "Type") ?? "")
            {
                IpAddress = Text(config, "IPAddress"),
                Port = (int?)Long(Text(config, "Port")),
                ResourcePath = Text(config, "ResourcePath"),
                FullyQualifiedDomainName = Text(config, "FullyQualifiedDomainName"),
                SearchString = Text(config, "SearchString"),
                RequestInterval = (int?)Long(Text(config, "RequestInterval")),
                FailureThreshold = (int?)Long(Text(config, "FailureThreshold")),
                Inverted = Bool(Text(config, "Inverted")) ?? false,
                Disabled = Bool(Text(config, "Disabled")) ?? false,
                Regions = [.. Child(config, "Regions")?.Elements().Select(e => e.Value) ?? []],
            });
    }

    /// <summary>
    /// One page of <c>GET /2013-04-01/hostedzone/{Id}/rrset</c>, starting at a name, a type and (within a weighted or
    /// failover set) a set identifier; Route 53's page size (100) when <paramref name="maxItems"/> is null.
    /// </summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call (<c>NoSuchHostedZone</c>, denied, throttled).</exception>
    public async Task<Route53RecordSetPage> ListResourceRecordSetsPageAsync(
        string hostedZoneId, string? startRecordName, string? startRecordType, string? startRecordIdentifier, int? maxItems, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        Add("name", startRecordName);
        Add("type", startRecordType);
        Add("identifier", startRecordIdentifier);
        Add("maxitems", maxItems?.ToString(CultureInfo.InvariantCulture));
        var path = $"hostedzone/{Escape(StripPrefix(hostedZoneId))}/rrset" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var root = await GetAsync("route53:ListResourceRecordSets", path, cancellationToken);
        var sets = Child(root, "ResourceRecordSets");
        return new Route53RecordSetPage(
            [.. sets?.Elements().Where(e => e.Name.LocalName == "ResourceRecordSet").Select(ReadRecordSet) ?? []],
            Bool(Text(root, "IsTruncated")) ?? false,
            Text(root, "NextRecordName"),
            Text(root, "NextRecordType"),
            Text(root, "NextRecordIdentifier"));

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{name}={Escape(value)}");
            }
        }
    }

    /// <summary>
    /// The records of a hosted zone from a starting name and type on, in Route 53's order (by name with its labels
    /// reversed, then type), following the pages up to <see cref="AwsOptions.MaxPages"/>. Stop enumerating to stop
    /// reading. A record a server repeats across pages is returned once.
    /// </summary>
    /// <exception cref="EstateServiceException">
    /// Route 53 refused or failed a call, or the pages did not end (code <c>PagingStopped</c>: more than MaxPages, or a
    /// page that starts where an earlier one did).
    /// </exception>
    public async IAsyncEnumerable<Route53RecordSet> ListResourceRecordSetsAsync(
        string hostedZoneId, string? startRecordName = null, string? startRecordType = null, int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (string? Name, string? Type, string? Identifier) start = (startRecordName, startRecordType, null);
        var starts = new HashSet<(string?, string?, string?)> { start };
        var returned = new HashSet<(string, string, string?)>();
        for (var page = 1; ; page++)
        {
            var result = await ListResourceRecordSetsPageAsync(hostedZoneId, start.Name, start.Type, start.Identifier, pageSize, cancellationToken);
            foreach (var set in result.RecordSets)
            {
                if (returned.Add((set.Name, set.Type, set.SetIdentifier)))
                {
                    yield return set;
                }
            }

            if (!result.IsTruncated)
            {
                yield break;
            }

            start = (result.NextRecordName, result.NextRecordType, result.NextRecordIdentifier);
            if (page >= _http.Options.MaxPages || start.Name is null || !starts.Add(start))
            {
                throw new EstateServiceException(Service, Region, "PagingStopped",
                    $"ListResourceRecordSets of {StripPrefix(hostedZoneId)} did not end after {page} pages (next: {start.Name} {start.Type} {start.Identifier}). " +
                    "Raise Estate:Aws:MaxPages if the zone is that large.");
            }
        }
    }

    /// <summary>
    /// <c>POST /2013-04-01/hostedzone/{Id}/rrset/</c>: one atomic change batch (all changes or none). A write: with
    /// <see cref="AwsOptions.AllowWrites"/> off it is not sent, and the error's message holds the exact request.
    /// </summary>
    /// <exception cref="EstateServiceException">Route 53 refused the batch (<c>InvalidChangeBatch</c>, <c>PriorRequestNotComplete</c>, denied) or writes are off (<see cref="AwsHttp.DryRunCode"/>).</exception>
    public async Task<Route53ChangeInfo> ChangeResourceRecordSetsAsync(string hostedZoneId, IReadOnlyList<Route53Change> changes, string? comment, CancellationToken cancellationToken)
    {
        var batch = new XElement(Ns + "ChangeBatch");
        if (!string.IsNullOrEmpty(comment))
        {
            batch.Add(new XElement(Ns + "Comment", comment));
        }

        batch.Add(new XElement(Ns + "Changes", changes.Select(c => new XElement(Ns + "Change",
            new XElement(Ns + "Action", c.Action.ToString().ToUpperInvariant()),
            WriteRecordSet(c.RecordSet)))));
        var body = Encoding.UTF8.GetBytes(new XElement(Ns + "ChangeResourceRecordSetsRequest", batch).ToString(SaveOptions.DisableFormatting));
        var path = $"hostedzone/{Escape(StripPrefix(hostedZoneId))}/rrset/";
        var call = new AwsCall(AwsService.Route53, Region, "route53:ChangeResourceRecordSets", AwsPurpose.Write, endpoint =>
            new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, ApiVersion + path)) { Content = new ByteArrayContent(body) });
        using var response = await _http.SendAsync(call, cancellationToken);
        return ReadChangeInfo(await ReadXmlAsync(response, "ChangeResourceRecordSets", cancellationToken), "ChangeResourceRecordSets");
    }

    /// <summary><c>GET /2013-04-01/change/{Id}</c>: whether a change batch reached every Route 53 name server.</summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call (<c>NoSuchChange</c>, denied, throttled).</exception>
    public async Task<Route53ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken) =>
        ReadChangeInfo(await GetAsync("route53:GetChange", $"change/{Escape(StripPrefix(changeId))}", cancellationToken), "GetChange");

    /// <summary>An id without the resource-type prefix Route 53 puts on some (<c>/change/C1</c> → <c>C1</c>).</summary>
    public static string StripPrefix(string id) => id[(id.LastIndexOf('/') + 1)..];

    internal static XElement WriteRecordSet(Route53RecordSet r)
    {
        // Members in the order of Route 53's shape.
        var e = new XElement(Ns + "ResourceRecordSet", new XElement(Ns + "Name", r.Name), new XElement(Ns + "Type", r.Type));
        Optional(e, "SetIdentifier", r.SetIdentifier);
        Optional(e, "Weight", r.Weight?.ToString(CultureInfo.InvariantCulture));
        Optional(e, "Region", r.Region);
        if (r.GeoLocation is { } geo)
        {
            var g = new XElement(Ns + "GeoLocation");
            Optional(g, "ContinentCode", geo.ContinentCode);
            Optional(g, "CountryCode", geo.CountryCode);
            Optional(g, "SubdivisionCode", geo.SubdivisionCode);
            e.Add(g);
        }

        Optional(e, "Failover", r.Failover);
        Optional(e, "MultiValueAnswer", r.MultiValueAnswer is { } multi ? Xml(multi) : null);
        Optional(e, "TTL", r.Ttl?.ToString(CultureInfo.InvariantCulture));
        if (!r.ResourceRecords.IsDefaultOrEmpty)
        {
            e.Add(new XElement(Ns + "ResourceRecords", r.ResourceRecords.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v)))));
        }

        if (r.AliasTarget is { } alias)
        {
            e.Add(new XElement(Ns + "AliasTarget",
                new XElement(Ns + "HostedZoneId", alias.HostedZoneId),
                new XElement(Ns + "DNSName", alias.DnsName),
                new XElement(Ns + "EvaluateTargetHealth", Xml(alias.EvaluateTargetHealth))));
        }

        Optional(e, "HealthCheckId", r.HealthCheckId);
        Optional(e, "TrafficPolicyInstanceId", r.TrafficPolicyInstanceId);
        if (r.CidrRoutingConfig is { } cidr)
        {
            e.Add(new XElement(Ns + "CidrRoutingConfig", new XElement(Ns + "CollectionId", cidr.CollectionId), new XElement(Ns + "LocationName", cidr.LocationName)));
        }

        if (r.GeoProximityLocation is { } proximity)
        {
            var p = new XElement(Ns + "GeoProximityLocation");
            Optional(p, "AWSRegion", proximity.AwsRegion);
            Optional(p, "LocalZoneGroup", proximity.LocalZoneGroup);
            if (proximity.Latitude is not null || proximity.Longitude is not null)
            {
                p.Add(new XElement(Ns + "Coordinates", new XElement(Ns + "Latitude", proximity.Latitude), new XElement(Ns + "Longitude", proximity.Longitude)));
            }

            Optional(p, "Bias", proximity.Bias?.ToString(CultureInfo.InvariantCulture));
            e.Add(p);
        }

        return e;
    }

    internal static Route53RecordSet ReadRecordSet(XElement e)
    {
        var geo = Child(e, "GeoLocation");
        var alias = Child(e, "AliasTarget");
        var cidr = Child(e, "CidrRoutingConfig");
        var proximity = Child(e, "GeoProximityLocation");
        var coordinates = Child(proximity, "Coordinates");
        return new Route53RecordSet(Text(e, "Name") ?? "", Text(e, "Type") ?? "")
        {
            SetIdentifier = Text(e, "SetIdentifier"),
            Weight = Long(Text(e, "Weight")),
            Region = Text(e, "Region"),
            GeoLocation = geo is null ? null : new Route53GeoLocation(Text(geo, "ContinentCode"), Text(geo, "CountryCode"), Text(geo, "SubdivisionCode")),
            Failover = Text(e, "Failover"),
            MultiValueAnswer = Bool(Text(e, "MultiValueAnswer")),
            Ttl = Long(Text(e, "TTL")),
            ResourceRecords = [.. Child(e, "ResourceRecords")?.Elements().Select(r => Text(r, "Value") ?? "") ?? []],
            AliasTarget = alias is null ? null : new Route53AliasTarget(Text(alias, "HostedZoneId") ?? "", Text(alias, "DNSName") ?? "", Bool(Text(alias, "EvaluateTargetHealth")) ?? false),
            HealthCheckId = Text(e, "HealthCheckId"),
            TrafficPolicyInstanceId = Text(e, "TrafficPolicyInstanceId"),
            CidrRoutingConfig = cidr is null ? null : new Route53CidrRoutingConfig(Text(cidr, "CollectionId") ?? "", Text(cidr, "LocationName") ?? ""),
            GeoProximityLocation = proximity is null ? null : new Route53GeoProximityLocation(
                Text(proximity, "AWSRegion"), Text(proximity, "LocalZoneGroup"), Text(coordinates, "Latitude"), Text(coordinates, "Longitude"), (int?)Long(Text(proximity, "Bias"))),
        };
    }

    private async Task<XElement> GetAsync(string action, string path, CancellationToken cancellationToken)
    {
        var call = new AwsCall(AwsService.Route53, Region, action, AwsPurpose.Read, endpoint => new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, ApiVersion + path)));
        using var response = await _http.SendAsync(call, cancellationToken);
        return await ReadXmlAsync(response, action, cancellationToken);
    }

    private static async Task<XElement> ReadXmlAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return (await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken)).Root ?? throw Invalid(operation, "an empty document");
        }
        catch (XmlException ex)
        {
            throw Invalid(operation, ex.Message);
        }
    }

    private static Route53ChangeInfo ReadChangeInfo(XElement root, string operation)
    {
        var info = Child(root, "ChangeInfo") ?? throw Invalid(operation, "no ChangeInfo");
        return new Route53ChangeInfo(
            StripPrefix(Text(info, "Id") ?? throw Invalid(operation, "a ChangeInfo without an Id")),
            Text(info, "Status") ?? "PENDING",
            Timestamp(Text(info, "SubmittedAt")) ?? DateTimeOffset.MinValue,
            Text(info, "Comment"));
    }

    private static EstateServiceException Invalid(string operation, string what) =>
        new(Service, Region, "InvalidResponse", $"{operation} answered with {what}, not Route 53's response shape.");

    private static void Optional(XElement parent, string name, string? value)
    {
        if (value is not null)
        {
            parent.Add(new XElement(Ns + name, value));
        }
    }

    private static XElement? Child(XElement? parent, string localName) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? Text(XElement? parent, string localName) => Child(parent, localName)?.Value;

    private static long? Long(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool? Bool(string? text) => bool.TryParse(text, out var v) ? v : null;

    private static string Xml(bool value) => value ? "true" : "false";

    private static DateTimeOffset? Timestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
