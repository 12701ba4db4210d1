namespace AWorld.Aws.Tests.Shared;

/// <summary>Creates in moto, with boto3, what our Route 53 client has no call for: a hosted zone and health checks.</summary>
internal static class MotoRoute53
{
    /// <summary>A public hosted zone (its id as boto3 returns it, <c>/hostedzone/…</c>) and one HTTPS health check per region of <c>api.{region}.aworld.example</c>.</summary>
    public static async Task<(string ZoneId, Dictionary<string, string> HealthChecks)> CreateZoneAndHealthChecksAsync(MotoServer moto, string zoneName, params string[] regions)
    {
        var created = await Python.RunAsync("""
            import json, sys, boto3
            i = json.load(sys.stdin)
            r = boto3.client('route53', endpoint_url=i['endpoint'], region_name='us-east-1', aws_access_key_id=i['key'], aws_secret_access_key=i['secret'])
            zone = r.create_hosted_zone(Name=i['zone'], CallerReference='zone-' + i['zone'])['HostedZone']['Id']
            checks = {}
            for region in i['regions']:
                config = {'Type': 'HTTPS', 'FullyQualifiedDomainName': 'api.' + region + '.aworld.example', 'Port': 443,
                          'ResourcePath': '/health', 'RequestInterval': 30, 'FailureThreshold': 3}
                checks[region] = r.create_health_check(CallerReference='hc-' + region, HealthCheckConfig=config)['HealthCheck']['Id']
            print(json.dumps({'zone': zone, 'checks': checks}))
            """, new { endpoint = moto.Endpoint.AbsoluteUri, key = MotoServer.AccessKeyId, secret = MotoServer.SecretAccessKey, zone = zoneName, regions });
        return (created.GetProperty("zone").GetString()!,
            created.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    /// <summary>
    /// botocore's own ChangeResourceRecordSets body for UPSERTs of the records named <paramref name="name"/> with the
    /// given set identifiers, each as boto3 lists it from moto with only its weight replaced (in the order of
    /// <paramref name="weights"/>, then of the listing).
    /// </summary>
    public static async Task<string> ExpectedUpsertBodyAsync(MotoServer moto, string zoneId, string name, IReadOnlyList<(string SetIdentifier, int Weight)> weights, string comment)
    {
        var result = await Python.RunAsync("""
            import json, sys, boto3, botocore.serialize
            i = json.load(sys.stdin)
            r = boto3.client('route53', endpoint_url=i['endpoint'], region_name='us-east-1', aws_access_key_id=i['key'], aws_secret_access_key=i['secret'])
            records = [s for s in r.list_resource_record_sets(HostedZoneId=i['zone'])['ResourceRecordSets'] if s['Name'] == i['name']]
            changes = []
            for set_identifier, weight in i['weights']:
                for s in records:
                    if s.get('SetIdentifier') == set_identifier:
                        changes.append({'Action': 'UPSERT', 'ResourceRecordSet': dict(s, Weight=weight)})
            params = {'HostedZoneId': i['zone'].split('/')[-1], 'ChangeBatch': {'Comment': i['comment'], 'Changes': changes}}
            request = botocore.serialize.create_serializer('rest-xml').serialize_to_request(params, r.meta.service_model.operation_model('ChangeResourceRecordSets'))
            print(json.dumps({'body': request['body'].decode()}))
            """, new
        {
            endpoint = moto.Endpoint.AbsoluteUri,
            key = MotoServer.AccessKeyId,
            secret = MotoServer.SecretAccessKey,
            zone = zoneId,
            name,
            weights = weights.Select(w => new object[] { w.SetIdentifier, w.Weight }),
            comment,
        });
        return result.GetProperty("body").GetString()!;
    }
}
