/** One transaction of an entry: the EndToEndId we sent and what the bank says moved. */
export interface Camt053Tx {
  endToEndId: string;
  amount: string;
}

export interface Camt053Line {
  ref: string;
  amount: string;
  direction: 'DBIT' | 'CRDT';
  reversal?: boolean;
  valueDate: string;
  /** Batch-booked: one entry for several payouts, naming the window as PmtInfId. */
  batchOf?: string;
  txs: Camt053Tx[];
}

/** A camt.053.001.08 statement as a bank would send it for our settlement account (tests and demo only). */
export function writeCamt053(s: {
  statementId: string;
  currency: string;
  date: string;
  lines: Camt053Line[];
}): string {
  const entry = (l: Camt053Line) => {
    const txs = l.txs
      .map(
        (t) => `          <TxDtls>
            <Refs>${l.batchOf ? `<PmtInfId>${l.batchOf}</PmtInfId>` : ''}<EndToEndId>${t.endToEndId}</EndToEndId></Refs>
            <Amt Ccy="${s.currency}">${t.amount}</Amt>
            <CdtDbtInd>${l.direction}</CdtDbtInd>
          </TxDtls>`,
      )
      .join('\n');
    const batch = l.batchOf
      ? `          <Btch><PmtInfId>${l.batchOf}</PmtInfId><NbOfTxs>${l.txs.length}</NbOfTxs><TtlAmt Ccy="${s.currency}">${l.amount}</TtlAmt><CdtDbtInd>${l.direction}</CdtDbtInd></Btch>\n`
      : '';
    return `      <Ntry>
        <NtryRef>${l.ref}</NtryRef>
        <Amt Ccy="${s.currency}">${l.amount}</Amt>
        <CdtDbtInd>${l.direction}</CdtDbtInd>${l.reversal ? '\n        <RvslInd>true</RvslInd>' : ''}
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${s.date}</Dt></BookgDt>
        <ValDt><Dt>${l.valueDate}</Dt></ValDt>
        <AcctSvcrRef>BANK-${l.ref}</AcctSvcrRef>
        <NtryDtls>
${batch}${txs}
        </NtryDtls>
      </Ntry>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${s.statementId}</MsgId><CreDtTm>${s.date}T22:00:00Z</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${s.statementId}</Id>
      <CreDtTm>${s.date}T22:00:00Z</CreDtTm>
      <Acct><Id><Othr><Id>1001234509876543210</Id></Othr></Id><Ccy>${s.currency}</Ccy></Acct>
${s.lines.map(entry).join('\n')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
