<?php
// A hosting portal calling `seccode serve` with plain curl: set the account-wide security
// code, verify a caller, ask whether the caller may cancel a service.
//
//   SECCODE_URL=http://127.0.0.1:8080 SECCODE_KEY=sck_... php portal.php
//
// The code travels only in the JSON body; the key only in the Authorization header.

function seccode(string $method, string $path, ?array $body = null): array
{
    $curl = curl_init(getenv('SECCODE_URL') . $path);
    $headers = ['Authorization: Bearer ' . getenv('SECCODE_KEY'), 'Accept: application/json'];
    if ($body !== null) {
        $headers[] = 'Content-Type: application/json';
        curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($body));
    }
    curl_setopt_array($curl, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => $headers,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 30,
    ]);
    $text = curl_exec($curl);
    if ($text === false) {
        fwrite(STDERR, 'seccode unreachable: ' . curl_error($curl) . "\n");
        exit(2);
    }
    $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    $answer = json_decode($text, true) ?? [];
    if ($status >= 400) {
        // RFC 9457 problem details: `type` is the stable error name.
        fwrite(STDERR, "seccode refused ($status {$answer['type']}): {$answer['detail']}\n");
        exit(1);
    }
    return $answer;
}

$account = getenv('SECCODE_ACCOUNT') ?: '1707';
$owner = (int) (getenv('SECCODE_ACTOR') ?: '3522');

// Client Profile -> Custom Fields -> Edit: the owner sets the account-wide code.
$set = seccode('PUT', "/v1/accounts/$account/code",
    ['actor' => $owner, 'code' => 'Purple monkey dishwasher 42!']);
echo $set['message'], "\n";

// A caller says they are the owner and speaks the code (case and punctuation do not matter).
$check = seccode('POST', "/v1/accounts/$account/verifications",
    ['contact' => $owner, 'code' => 'purple monkey dishwasher 42']);
echo "verification: {$check['outcome']}\n";
if ($check['outcome'] !== 'verified') {
    exit(1);
}

// The verified caller asks to cancel a service: never on the code alone.
$decision = seccode('POST', '/v1/authorizations',
    ['token' => $check['token'], 'kind' => 'cancellation']);
$d = $decision['decision'];
if ($d['decision'] === 'needs_approval') {
    echo 'cancellation: needs approval from contact ', implode(' or ', $d['approvers']), "\n";
} else {
    echo "cancellation: {$d['decision']}\n";
}
