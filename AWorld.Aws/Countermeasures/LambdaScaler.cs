using AWorld.Aws.Http;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// A region's capacity as Lambda reserved concurrency (<see cref="AwsScalingOptions"/>, per region): the scale is a
/// function's reservation ÷ <see cref="AwsScalingOptions.BaselineConcurrency"/> (1 when it reserves none), the smallest
/// over the region's functions (so that a change that reached only some of them is made again); setting it reserves
/// round(baseline × scale), at least 1, on every function of the region. A region without scaling options refuses
/// with <see cref="CountermeasureErrors.NotConfigured"/>.
/// </summary>
/// <remarks>Thread-safe; stateless: each call reads or writes every function of the region.</remarks>
public sealed class LambdaScaler(LambdaClient lambda, AwsHttp http, IOptions<AwsOptions> options) : IRegionScaler
{
    private readonly Dictionary<string, AwsScalingOptions> _regions = options.Value.Scaling;

    public async Task<double> GetScaleAsync(string region, CancellationToken cancellationToken)
    {
        var scaling = Options(region);
        var scale = double.MaxValue;
        foreach (var function in scaling.Functions)
        {
            var reserved = await lambda.GetFunctionConcurrencyAsync(region, function, cancellationToken);
            scale = Math.Min(scale, reserved is { } r ? (double)r / scaling.BaselineConcurrency : 1);
        }

        return scale;
    }

    /// <summary>Reserves round(baseline × <paramref name="scale"/>) on every function: each is tried, and the failures are reported together.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not a positive number.</exception>
    public async Task SetScaleAsync(string region, double scale, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "A scale is a positive multiple of the baseline concurrency.");
        }

        var scaling = Options(region);
        // Never 0: a reservation of 0 stops every invocation of the function.
        var reserved = (int)Math.Max(1, Math.Round(scaling.BaselineConcurrency * scale, MidpointRounding.AwayFromZero));
        await http.ThrowIfDryRunAsync([.. scaling.Functions.Select(f => LambdaClient.PutFunctionConcurrencyCall(region, f, reserved))], cancellationToken);
        var failures = new List<(string Function, EstateServiceException Error)>();
        foreach (var function in scaling.Functions)
        {
            try
            {
                await lambda.PutFunctionConcurrencyAsync(region, function, reserved, cancellationToken);
            }
            catch (EstateServiceException ex)
            {
                failures.Add((function, ex));
            }
        }

        if (failures.Count > 0)
        {
            var first = failures[0].Error;
            throw failures.Count == 1 && scaling.Functions.Count == 1 ? first : new EstateServiceException(first.Service, region, first.ErrorCode,
                $"{failures.Count} of {scaling.Functions.Count} functions did not take {reserved} reserved executions: {string.Join(" ", failures.Select(f => $"{f.Function}: {f.Error.ErrorCode}: {f.Error.Message}"))}");
        }
    }

    private AwsScalingOptions Options(string region) =>
        _regions.TryGetValue(region, out var scaling) && scaling.Functions.Count > 0
            ? scaling
            : throw new EstateServiceException(AwsServices.DisplayName(AwsService.Lambda), region, CountermeasureErrors.NotConfigured,
                $"no Lambda scaling is configured for {region}. Configure Estate:Aws:Scaling:{region}:Functions.");
}
