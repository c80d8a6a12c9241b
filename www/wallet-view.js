// The wallet panel: the wallets found, connect, the account and chain, a switch button when the
// chain is wrong, and one clear message. Scriptable: `#wallet` carries data-wallet-state
// (none, available, connecting, connected, refused, error), data-wallet-uuid, data-wallet-rdns,
// data-account, data-chain, data-chain-ok, data-expected-chain, data-signing and data-wallet-error
// (the wallet's EIP-1193 code of the last failure, or "message").

export class WalletView {
  constructor(root, wallet) {
    this.root = root;
    this.wallet = wallet;
    this.list = root.querySelector('#wallet-list');
    this.connectButton = root.querySelector('#wallet-connect');
    this.disconnectButton = root.querySelector('#wallet-disconnect');
    this.switchButton = root.querySelector('#wallet-switch');
    this.accountEl = root.querySelector('#wallet-account');
    this.chainEl = root.querySelector('#wallet-chain');
    this.messageEl = root.querySelector('#wallet-message');
    this.connectButton.addEventListener('click', () => wallet.connect());
    this.disconnectButton.addEventListener('click', () => wallet.disconnect());
    this.switchButton.addEventListener('click', () => wallet.switchChain());
    this.list.addEventListener('change', (e) => { if (e.target.name === 'wallet') wallet.choose(e.target.value); });
    wallet.addEventListener('change', () => this.render());
    this.render();
  }

  render() {
    const s = this.wallet.snapshot;
    const d = this.root.dataset;
    d.walletState = s.state;
    d.walletUuid = s.uuid ?? '';
    d.walletRdns = s.rdns ?? '';
    d.account = s.account ?? '';
    d.chain = s.chainId ?? '';
    d.chainOk = String(s.chainOk);
    d.expectedChain = s.expectedChainId ?? '';
    d.signing = String(s.signing);
    d.walletError = s.error ? String(s.error.code ?? 'message') : '';
    this.renderList(s);

    const connected = s.state === 'connected';
    this.connectButton.disabled = s.wallets.length === 0 || s.state === 'connecting' || connected;
    this.connectButton.textContent = s.state === 'connecting' ? 'Connecting…' : s.name ? `Connect ${s.name}` : 'Connect';
    this.disconnectButton.hidden = !connected;
    this.switchButton.hidden = !connected || s.chainOk || s.expectedChainId == null;
    this.switchButton.textContent = `Switch to ${s.expectedChainName ?? 'the 0G chain'}`;
    this.accountEl.textContent = connected ? s.account : '';
    this.chainEl.textContent = connected
      ? `chain ${s.chainId}${s.chainOk ? '' : ` — reports need ${s.expectedChainName} (${s.expectedChainId})`}`
      : '';
    this.chainEl.dataset.ok = String(s.chainOk);
    this.messageEl.textContent = this.message(s);
  }

  renderList(s) {
    const seen = new Set();
    for (const info of s.wallets) {
      seen.add(info.uuid);
      let item = this.list.querySelector(`li[data-uuid="${CSS.escape(info.uuid)}"]`);
      if (!item) {
        // Built from elements and text only: names and icons come from the wallets (untrusted).
        item = document.createElement('li');
        item.dataset.uuid = info.uuid;
        item.dataset.rdns = info.rdns;
        const label = document.createElement('label');
        const radio = document.createElement('input');
        radio.type = 'radio';
        radio.name = 'wallet';
        radio.value = info.uuid;
        label.append(radio);
        if (info.icon) {
          const img = document.createElement('img');
          img.src = info.icon;
          img.alt = '';
          img.width = img.height = 20;
          label.append(img);
        }
        label.append(document.createTextNode(info.name));
        item.append(label);
        this.list.append(item);
      }
      const radio = item.querySelector('input');
      radio.checked = info.uuid === s.uuid;
      radio.disabled = s.state === 'connecting';
    }
    for (const item of this.list.querySelectorAll('li')) if (!seen.has(item.dataset.uuid)) item.remove();
  }

  message(s) {
    if (s.error) return s.error.message;
    if (s.signing > 0) return 'Confirm the signature in your wallet.';
    switch (s.state) {
      case 'none': return 'No wallet found: install a browser wallet that supports EIP-6963 (most do), then reload this page.';
      case 'available': return s.uuid ? `Connect ${s.name} to sign reports with your license's account.` : 'Choose a wallet.';
      case 'connecting': return `Approve the connection in ${s.name}.`;
      case 'connected': return s.chainOk ? 'Connected.' : `Your wallet is on chain ${s.chainId}: switch to ${s.expectedChainName} (${s.expectedChainId}) to sign reports.`;
      default: return '';
    }
  }
}
