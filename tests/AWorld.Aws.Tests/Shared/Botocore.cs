using System.Text.Json;

namespace AWorld.Aws.Tests.Shared;

/// <summary>What botocore 1.43 (the Python SDK, nobody here wrote it) makes of a request: its own serialization of an operation, and its SigV4 signature.</summary>
internal static class Botocore
{
    /// <summary>
    /// Signs a request with botocore's <c>SigV4Auth</c> at a fixed time (its clock patched), exactly as given: method,
    /// URL, headers (botocore adds host and X-Amz-Date) and body. Returns <c>authorization</c> and <c>canonical_request</c>.
    /// </summary>
    public static Task<JsonElement> SignAsync(string service, string region, string method, Uri url, IReadOnlyDictionary<string, string> headers, byte[] body, DateTime signedAt) =>
        Python.RunAsync(SignScript, new
        {
            service,
            region,
            method,
            url = url.AbsoluteUri,
            headers,
            body = Convert.ToBase64String(body),
            access_key = MotoServer.AccessKeyId,
            secret_key = MotoServer.SecretAccessKey,
            time = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>
    /// botocore's own request for an operation and its parameters in the given protocol (<c>json</c>, <c>rest-xml</c>):
    /// <c>method</c>, <c>url</c> (on <paramref name="endpoint"/>), <c>headers</c>, <c>body</c> (base64).
    /// </summary>
    public static Task<JsonElement> SerializeAsync(string service, string protocol, string operation, object parameters, Uri endpoint) =>
        Python.RunAsync(SerializeScript, new { service, protocol, operation, parameters, endpoint = endpoint.AbsoluteUri.TrimEnd('/') });

    private const string SignScript = """
        import base64, datetime, json, sys
        import botocore.auth
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        i = json.load(sys.stdin)
        at = datetime.datetime.strptime(i['time'], '%Y%m%dT%H%M%SZ')
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True: at

        class Recording(SigV4Auth):
            def canonical_request(self, request):
                self.last = super().canonical_request(request)
                return self.last

        request = AWSRequest(method=i['method'], url=i['url'], headers=i['headers'], data=base64.b64decode(i['body']))
        auth = Recording(Credentials(i['access_key'], i['secret_key']), i['service'], i['region'])
        auth.add_auth(request)
        print(json.dumps({'authorization': request.headers['Authorization'], 'canonical_request': auth.last, 'date': request.headers['X-Amz-Date']}))
        """;

    private const string SerializeScript = """
        import base64, json, sys
        import botocore.session, botocore.serialize
        from botocore.awsrequest import prepare_request_dict

        i = json.load(sys.stdin)
        model = botocore.session.get_session().get_service_model(i['service']).operation_model(i['operation'])
        request = botocore.serialize.create_serializer(i['protocol']).serialize_to_request(i['parameters'], model)
        prepare_request_dict(request, i['endpoint'])
        body = request['body'] if isinstance(request['body'], bytes) else request['body'].encode()
        print(json.dumps({'method': request['method'], 'url': request['url'], 'headers': dict(request['headers']), 'body': base64.b64encode(body).decode()}))
        """;
}
