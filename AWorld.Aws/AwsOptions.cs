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
    /// The shortest period the estate's metrics are read at from CloudWatch: a query for a shorter one (the monitor
    /// asks for 1 s, the twin's resolution) is read at this period instead. AWS's own metrics (API Gateway, Lambda,
    /// DynamoDB, MemoryDB, Route 53) have 60-second resolution, and CloudWatch accepts a shorter period only for
    /// high-resolution custom metrics (1, 5, 10, 20 or 30 s). Default 60.
    /// </summary>
    public int MetricPeriodSeconds { get; set; } = 60;

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

/// <summary>A region's API: its usage plans (the default one, and a restricted one a storming client is moved to) and where client rates come from.</summary>
public sealed class AwsThrottlingOptions
{
    public string RestApiId { get; set; } = "";

    public string Stage { get; set; } = "prod";

    public string DefaultUsagePlanId { get; set; } = "";

    public string RestrictedUsagePlanId { get; set; } = "";

    /// <summary>The metric of one client's request count, with <c>{client}</c> in its dimension values.</summary>
    public AwsMetricOptions ClientRateMetric { get; set; } = new();

    /// <summary>The API keys (clients) whose rates are watched.</summary>
    public List<string> Clients { get; set; } = [];
}

/// <summary>A region's compute: Lambda functions whose reserved concurrency is scaled from a baseline.</summary>
public sealed class AwsScalingOptions
{
    public List<string> Functions { get; set; } = [];

    /// <summary>Reserved concurrency at scale 1.</summary>
    public int BaselineConcurrency { get; set; } = 100;
}

/// <summary>AWS FIS: experiment templates per fault kind and region; off unless enabled.</summary>
public sealed class AwsFisOptions
{
    public bool Enabled { get; set; }

    /// <summary>Template ids by fault kind (outage, partition, latency, errors, throttle, flap, bad-deploy) and region: <c>Templates:outage:eu-west-1=EXT123</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> Templates { get; set; } = [];
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
