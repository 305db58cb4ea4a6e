import type { DataObject } from '../../src/crypto/index.js'

/**
 * Data of the Converge and Portico card channels for tests that need one of each (UnionPay's is `cardData` in
 * build.ts). test/app/gateway-card-channels.test.ts sends them to the shipped merchants.
 */

/** The docs' Converge data example (§18), verbatim: merchant ON00000097 of the shipped fixtures. */
export const CONVERGE_EXAMPLE: Readonly<DataObject> = {
  orderId: '2020041468976O124O000857',
  merchant_id: 'ON00000097',
  operator_id: '0000020156',
  txnTime: '20191125162635',
  txnAmt: '100',
  cc_number: '5160736813962037',
  frontUrl: 'https://www.ezshops.ca/UPI_OTTPAY_result.php',
  backUrl: 'https://www.ezshops.ca/UPI_TTPAY_callback.php',
  channelType: 'ELAVONECOM',
  bizType: 'converge_hosted',
  cc_channelType: 'web'
}

/** Encrypted card data as Portico's cc_number carries it: Base64 of 64 bytes. */
export const PORTICO_CC_NUMBER = 'Cp8OVjALr/T8dGfRuI7/wY8T4MszJ2xv7xvVDGpWh4qETswIFk4uqydjSpre4a+mWZ5YlXDnGXhOCAznR/wORQ=='

/** Portico data built from §19a's table (every field it lists, `biz_type` with its printed leading space). */
export const porticoData = (extra: DataObject = {}): DataObject => ({
  orderId: 'PORTICO0001',
  merId: 'ON00000097',
  shopId: 'ON00000097001',
  termId: 'CNP_ECOM',
  operator_id: '0000020156',
  txnTime: '20260115120000',
  txnAmt: '2500',
  cc_number: PORTICO_CC_NUMBER,
  cc_sha: '16AA111EF43825DE20ABEC9E81114CAC2337625577FCD17D40AF1F061EAE5CF3',
  cc_type: 'VISA',
  channelType: 'PORTICOECOM',
  biz_type: ' portico_card',
  cc_channelType: 'web',
  currency: 'CAD',
  cc_maskednum: '1111',
  ...extra
})
