using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SimpleSystemsManagement.Model.Internal.MarshallTransformations;
using AWorld.Core.Estate;

namespace AWorld.Aws.Data;

/// <summary>
/// <see cref="ITableRouting"/> against the application's configuration in SSM Parameter Store: one String parameter per
/// logical table and region, named by <see cref="AwsOptions.TableRoutingParameter"/> and kept in that region, whose
/// value is the physical table the application uses. A missing parameter means the logical table itself.
/// </summary>
/// <remarks>
/// A switch is a compare-and-set on the parameter's version: the version v is read, the physical table is checked to
/// exist (DescribeTable, as the twin refuses a switch to a missing table), and the value is written with
/// <c>Overwrite</c> (or, when there was no parameter, created without it). SSM gives every write the next version,
/// so a new version other than v + 1 means someone else wrote in between: that is reported as
/// <see cref="ConflictCode"/>, naming the parameter. SSM has no conditional put, so the other write has been
/// overwritten by then; the error says to read the parameter again. Switching to the table already in use writes
/// nothing. Thread-safe and stateless.
/// </remarks>
public sealed class SsmTableRouting(AwsSdkClients clients, IGlobalTableAdmin tables) : ITableRouting
{
    /// <summary>The error code of a switch that raced another writer of the same parameter.</summary>
    public const string ConflictCode = "TableRoutingConflict";

    /// <summary>The parameter that routes <paramref name="table"/> in <paramref name="region"/>.</summary>
    public string ParameterName(string table, string region) =>
        clients.Options.TableRoutingParameter.Replace("{table}", table, StringComparison.Ordinal).Replace("{region}", region, StringComparison.Ordinal);

    public async Task<string> GetActiveTableAsync(string table, string region, CancellationToken cancellationToken) =>
        (await ReadAsync(ParameterName(table, region), region, cancellationToken))?.Value ?? table;

    public async Task SetActiveTableAsync(string table, string region, string physicalTable, CancellationToken cancellationToken)
    {
        var name = ParameterName(table, region);
        var current = await ReadAsync(name, region, cancellationToken);
        if ((current?.Value ?? table) == physicalTable)
        {
            return;
        }

        await tables.DescribeTableAsync(physicalTable, region, cancellationToken);
        var read = current?.Version ?? 0;
        var put = new PutParameterRequest
        {
            Name = name,
            Value = physicalTable,
            Type = current?.Type ?? ParameterType.String,
            Overwrite = current is not null,
        };
        long written;
        try
        {
            written = (await clients.WriteAsync<IAmazonSimpleSystemsManagement, PutParameterRequest, PutParameterResponse>(
                AwsService.Ssm, region, "ssm:PutParameter", put, PutParameterRequestMarshaller.Instance,
                (client, request, token) => client.PutParameterAsync(request, token),
                cancellationToken)).Version ?? 0;
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "ParameterAlreadyExists")
        {
            throw Conflict(region, name, physicalTable, $"it did not exist when read, but was created before our write (which was not made)");
        }

        if (written != read + 1)
        {
            throw Conflict(region, name, physicalTable,
                $"we read version {read} and our write became version {written}, so {written - read - 1} other write(s) came in between and ours overwrote them");
        }
    }

    private static EstateServiceException Conflict(string region, string name, string physicalTable, string what) =>
        new("SSM", region, ConflictCode,
            $"The table routing parameter {name} was changed by someone else while it was being switched to {physicalTable}: {what}. Read {name} again, find out who else switches this table, and switch again if still needed.");

    private async Task<Parameter?> ReadAsync(string name, string region, CancellationToken cancellationToken)
    {
        try
        {
            return (await clients.ReadAsync<IAmazonSimpleSystemsManagement, GetParameterResponse>(
                AwsService.Ssm, region, "ssm:GetParameter",
                (client, token) => client.GetParameterAsync(new GetParameterRequest { Name = name }, token),
                cancellationToken)).Parameter;
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "ParameterNotFound")
        {
            return null;
        }
    }
}
