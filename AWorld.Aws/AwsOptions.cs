namespace AWorld.Aws;

/// <summary>The AWS services the adapters call, each with its own endpoint override and signing name.</summary>
public enum AwsService
{
    CloudWatch,
    Route53,
    DynamoDb,
    Ssm,
    Kms,
    Fis,
    ApiGateway,
    Lambda,
    Sts,
}

/// <summary>
/// How the console reaches a real AWS estate, bound from <c>Estate:Aws</c> (with a few keys of the estate itself under
/// <c>Estate:Dns</c> and <c>Estate:Regions</c>, see <see cref="AwsEstateOptions"/>). Credentials come from the SDK's
/// default chain (environment, profile, SSO, container, instance) unless <see cref="AccessKeyId"/> is set (for
/// <c>aworld twin serve</c> and tests); a role may be assumed per purpose. Nothing is changed in the account unless
/// <see cref="AllowWrites"/> is true.
/// </summary>
public sealed class AwsOptions
{
    public const string SectionName = "Estate:Aws";

    /// <summary>Off by default: every call that would change the account is refused and its exact request shown instead (a dry run).</summary>
    public bool AllowWrites { get; set; }

    /// <summary>Endpoint overrides by service, e.g. <c>Estate:Aws:Endpoints:CloudWatch=http://127.0.0.1:4566</c>; AWS's own endpoints otherwise.</summary>
    public Dictionary<AwsService, string> Endpoints { get; set; } = [];

    /// <summary>Static credentials, for a twin served over AWS protocols or a test endpoint. Leave empty for a real account.</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>A role assumed for every read (watching), e.g. a read-only role; the chain's own identity when empty.</summary>
    public string? ReadRoleArn { get; set; }

    /// <summary>A role assumed for every change (operations, countermeasures, drills); the chain's own identity when empty.</summary>
    public string? WriteRoleArn { get; set; }

    /// <summary>How long one attempt of one call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a throttled or failed (5xx) attempt, with jittered exponential backoff.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff; each retry doubles it (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Route 53 allows 5 requests a second per account, shared with every caller in it; the console keeps below.</summary>
    public double Route53RequestsPerSecond { get; set; } = 2;

    /// <summary>
    /// The period AWS's own metrics (API Gateway, Lambda, DynamoDB, MemoryDB, Route 53) are read at: they have
    /// 60-second resolution, and CloudWatch accepts a shorter period only for high-resolution custom metrics such as
    /// the canaries', which keep their one second. Default 60.
    /// </summary>
    public int MetricPeriodSeconds { get; set; } = 60;

    /// <summary>
    /// The trailing window over which a region's share of the API's requests is read, to verify that a traffic move
    /// happened: five minutes (five periods of a minute) against AWS; shorter against a source of per-second metrics.
    /// </summary>
    public TimeSpan TrafficShareWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many pages one read follows (GetMetricData's <c>NextToken</c>, ListResourceRecordSets' next record) before
    /// it stops: metric results not complete by then are returned as <c>PartialData</c>. Default 20.
    /// </summary>
    public int MaxPages { get; set; } = 20;

    /// <summary>The names the estate's metrics carry as CloudWatch dimensions.</summary>
    public AwsResourceNames Resources { get; set; } = new();

    /// <summary>The SSM parameter that names the physical table the application uses; {table} and {region} are replaced.</summary>
    public string TableRoutingParameter { get; set; } = "/aworld/{table}/{region}/active-table";

    /// <summary>Canary writes for RPO: sequence-numbered items written to each region's replica of this table and read from the others.</summary>
    public AwsCanaryOptions Canaries { get; set; } = new();

    /// <summary>Synthetic clients' success (the ground truth of a drill's recovery), as a CloudWatch metric.</summary>
    public AwsMetricOptions? ClientSuccessMetric { get; set; }

    /// <summary>
    /// The value of <see cref="ClientSuccessMetric"/> at full success: 1 for a ratio (the default), 100 for a percentage
    /// such as CloudWatch Synthetics' <c>SuccessPercent</c>.
    /// </summary>
    public double ClientSuccessFullScale { get; set; } = 1;

    /// <summary>How often a live drill's ground truth reads what it does not measure itself (see <see cref="AwsGroundTruthOptions"/>).</summary>
    public AwsGroundTruthOptions GroundTruth { get; set; } = new();

    /// <summary>Per-client throttling through API Gateway usage plans, per region.</summary>
    public Dictionary<string, AwsThrottlingOptions> Throttling { get; set; } = [];

    /// <summary>Scaling through Lambda reserved concurrency, per region.</summary>
    public Dictionary<string, AwsScalingOptions> Scaling { get; set; } = [];

    public AwsFisOptions Fis { get; set; } = new();

    /// <summary>The KMS key that signs evidence packs (ECC_NIST_P256, SIGN_VERIFY); the local key file when empty.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>The region of <see cref="KmsKeyId"/>; the first region of the estate when empty.</summary>
    public string? KmsRegion { get; set; }
}

/// <summary>The resource names of the estate as CloudWatch knows them.</summary>
public sealed class AwsResourceNames
{
    public string ApiName { get; set; } = "aworld-api";

    public string FunctionName { get; set; } = "aworld-api-handler";

    public string CacheClusterName { get; set; } = "aworld-cache";
}

public sealed class AwsCanaryOptions
{
    /// <summary>Writes canaries; off unless the application's tables may take them (one item per region, overwritten).</summary>
    public bool Enabled { get; set; }

    /// <summary>The global table the canaries go to; the first table of the estate when empty.</summary>
    public string? Table { get; set; }

    /// <summary>The partition key's attribute name in that table.</summary>
    public string KeyAttribute { get; set; } = "pk";

    /// <summary>
    /// How long one canary write or read may take, in one attempt without retries: a region whose write is not
    /// acknowledged within it counts as down for that second, and the drill's loop is never held longer.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// A live drill samples the ground truth once a second; the parts that come from other services are refreshed less
/// often, in the background, and the last values are used in between: CloudWatch is billed per metric read and its
/// standard metrics have 60 s periods, and Route 53 allows 5 requests a second for the whole account.
/// </summary>
public sealed class AwsGroundTruthOptions
{
    /// <summary>Clients' success and traffic shares (CloudWatch), and the tables the application uses (SSM).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Record weights and health checkers' observations (Route 53).</summary>
    public TimeSpan Route53RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A CloudWatch metric and statistic, read in a given region.</summary>
public sealed class AwsMetricOptions
{
    public string Namespace { get; set; } = "";

    public string MetricName { get; set; } = "";

    public Dictionary<string, string> Dimensions { get; set; } = [];

    public string Stat { get; set; } = "Average";

    public int PeriodSeconds { get; set; } = 60;

    public string Region { get; set; } = "";
}

/// <summary>
/// A region's per-client throttling, bound from <c>Estate:Aws:Throttling:&lt;region&gt;</c>: the API stage, its two usage
/// plans (the default one every client's API key is in, and a restricted one with a lower rate limit a storming
/// client's key is moved to), the clients watched and the CloudWatch metric of their request counts. The countermeasure
/// ladder compares each client's rate now (the latest period of <see cref="RateWindow"/>) with its usual rate (the mean
/// over <see cref="BaselineWindow"/> before that) and moves the key; API Gateway usage plans have one limit for all
/// their keys, so the limit the ladder asks for is the restricted plan's own <c>rateLimit</c>.
/// </summary>
public sealed class AwsThrottlingOptions
{
    /// <summary>The REST API both plans must cover (with <see cref="Stage"/>): a key moved to a plan that does not is cut off, so the move is refused.</summary>
    public string RestApiId { get; set; } = "";

    public string Stage { get; set; } = "prod";

    /// <summary>The usage plan every watched client's API key is in normally; a client is restored to it.</summary>
    public string DefaultUsagePlanId { get; set; } = "";

    /// <summary>The usage plan with a low rate limit a storming client's API key is moved to.</summary>
    public string RestrictedUsagePlanId { get; set; } = "";

    /// <summary>
    /// The metric of one client's requests, with <c>{client}</c> (and optionally <c>{region}</c>) in its dimension values
    /// and the statistic <c>Sum</c>: each period's value is the number of requests the client sent in it, so the rate is
    /// value ÷ period. Count every request sent, throttled ones (429) included (an access-log metric filter does): a
    /// metric of admitted requests falls to the limit once it bites, and the ladder would restore the client at once.
    /// Read in the throttling region unless <see cref="AwsMetricOptions.Region"/> names another. For example namespace
    /// <c>AWorld/Clients</c>, metric <c>Requests</c>, dimensions <c>ApiName=aworld-api</c>, <c>Client={client}</c>.
    /// </summary>
    public AwsMetricOptions ClientRateMetric { get; set; } = new() { Stat = "Sum" };

    /// <summary>The API key names (clients) whose rates are watched and whose keys may be moved.</summary>
    public List<string> Clients { get; set; } = [];

    /// <summary>The rate now is the latest period with data in this window (metrics arrive 1–3 minutes late); default 5 minutes.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The client's usual rate is the mean of the periods with data over this span before <see cref="RateWindow"/>; default 1 hour. A client without data there has no usual rate and is never throttled.</summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the clients' rates and plan membership are reused before CloudWatch and API Gateway are read again
    /// (the ladder asks every poll; a 60 s metric has nothing newer sooner); a move reads them again. Default 1 minute:
    /// one GetMetricData call of one metric per client a minute (about 43,200 metrics a month per client), three API
    /// Gateway reads. Zero reads every time.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A region's compute scaling, bound from <c>Estate:Aws:Scaling:&lt;region&gt;</c>: Lambda functions whose reserved
/// concurrency is <see cref="BaselineConcurrency"/> × the scale. The scale read is the smallest of the functions' (1 for
/// a function that reserves none); setting it writes the same reservation to every function, out and back in. A
/// reservation also caps the function, and the account keeps at least 100 executions unreserved.
/// </summary>
public sealed class AwsScalingOptions
{
    /// <summary>Function names or ARNs in the region.</summary>
    public List<string> Functions { get; set; } = [];

    /// <summary>Reserved concurrency at scale 1 (the functions' normal reservation); default 100.</summary>
    public int BaselineConcurrency { get; set; } = 100;
}

/// <summary>
/// AWS FIS, bound from <c>Estate:Aws:Fis</c>: a drill's fault is an experiment started from the template configured for
/// its kind and region. Off unless <see cref="Enabled"/>: a real account's faults are real.
/// </summary>
public sealed class AwsFisOptions
{
    /// <summary>Off by default: injecting and clearing faults are refused, and no fault is listed.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Template ids by fault kind (outage, partition, latency, errors, throttle, flap, bad-deploy) and region:
    /// <c>Templates:outage:eu-west-1=EXT123</c>. The template decides the fault's actions, targets, size and duration
    /// (its own stop conditions and <c>duration</c> parameters); a partition's template decides the peer it cuts off.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Templates { get; set; } = [];

    /// <summary>How long the list of experiments is reused (the estate loop asks every poll); a start or stop reads it again. Default 10 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The keys of the estate that only a real account has, bound from the <c>Estate</c> section beside the topology: the
/// hosted zone, each record's set identifier and each region's Route 53 health check id.
/// </summary>
public sealed class AwsEstateOptions
{
    public AwsDnsOptions Dns { get; set; } = new();

    public List<AwsRegionOptions> Regions { get; set; } = [];
}

public sealed class AwsDnsOptions
{
    /// <summary>The hosted zone that holds the API's record set, e.g. <c>Z0123456789ABCDEFGHIJ</c>.</summary>
    public string HostedZoneId { get; set; } = "";

    public List<AwsRecordOptions> Records { get; set; } = [];
}

public sealed class AwsRecordOptions
{
    public string Region { get; set; } = "";

    /// <summary>The record's set identifier in the weighted (or failover) record set.</summary>
    public string SetIdentifier { get; set; } = "";
}

public sealed class AwsRegionOptions
{
    public string Code { get; set; } = "";

    /// <summary>The Route 53 health check of the region's endpoint.</summary>
    public string HealthCheckId { get; set; } = "";
}
